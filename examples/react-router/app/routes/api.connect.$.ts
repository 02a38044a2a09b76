// The backend contract at /api/connect, for the browser's ConnectProvider endpoint="/api/connect".
import type { Route } from './+types/api.connect.$'
import { connectServer } from '../lib/connect.server'

// No default export: a resource route. GET goes to the loader, POST and DELETE to the action.
export async function loader({ request }: Route.LoaderArgs) {
  return (await connectServer).handler(request)
}

export async function action({ request }: Route.ActionArgs) {
  return (await connectServer).handler(request)
}
