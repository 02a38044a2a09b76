// The page at `redirectUrl`. It tells the page that opened the popup, which asks the server what
// happened: this page never claims a success on its own.
import { completeSetupSession } from 'react-provider-connect/callback'

void completeSetupSession()
