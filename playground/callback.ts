// The page at `redirectUrl`: tells the app's page, then closes the popup or returns from redirect mode.
import { completeSetupSession } from '../src/callback/index.js'

void completeSetupSession().then(result => {
  // Handy while trying the playground; it never carries the session URL or a secret.
  console.info('[playground] completeSetupSession', result)
})
