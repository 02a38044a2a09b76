// The backend contract at /api/connect, for the browser's ConnectProvider endpoint="/api/connect".
import { connectServer } from '../../../../lib/connect'

async function handle(request: Request): Promise<Response> {
  return (await connectServer).handler(request)
}

export { handle as GET, handle as POST, handle as DELETE }
// Per-user answers: never cached or prerendered.
export const dynamic = 'force-dynamic'
