// The page at `redirectUrl`. It tells the page that opened the popup, which asks the server what
// happened: this page never claims a success on its own.
import { completeSetupSession } from 'react-provider-connect/callback'

// index.html shows its own text at once: `message: false` keeps completeSetupSession() from adding a
// second <main> with the same words.
void completeSetupSession({ message: false })
