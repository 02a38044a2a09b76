/**
 * The simulation's provider catalogue: forty providers as a Metorial instance might deploy them,
 * with listing categories, auth methods and logos drawn here (SVG data URLs: no network, no files).
 */
export interface SimulatedProvider {
  /** The provider id the REST routes and sessions use. */
  id: string
  name: string
  description: string
  categories: string[]
  /** Brand colour of the drawn logo; `null` draws none (the listing has no image). */
  color: string | null
  /** How users authenticate: none means the deployment holds the credentials. */
  auth: Array<'oauth' | 'token' | 'custom'>
}

// [id, name, description, categories, colour, auth]
const ROWS: Array<[string, string, string, string[], string | null, string]> = [
  ['slack', 'Slack', 'Post updates and read channels.', ['Communication'], '#4A154B', 'oauth'],
  ['github', 'GitHub', 'Issues, pull requests and repositories.', ['Developer tools'], '#24292F', 'oauth'],
  ['google-calendar', 'Google Calendar', 'Read and create events.', ['Productivity', 'Calendar'], '#1A73E8', 'oauth'],
  ['linear', 'Linear', 'Create and track issues.', ['Project management'], '#5E6AD2', 'oauth'],
  ['notion', 'Notion', 'Search and edit pages and databases.', ['Productivity', 'Knowledge base'], '#111111', 'oauth'],
  ['gmail', 'Gmail', 'Read, label and send email.', ['Communication', 'Email'], '#EA4335', 'oauth'],
  ['google-drive', 'Google Drive', 'Find and share files.', ['Storage'], '#0F9D58', 'oauth'],
  ['microsoft-teams', 'Microsoft Teams', 'Chats, channels and meetings.', ['Communication'], '#5059C9', 'oauth'],
  ['outlook', 'Outlook', 'Mail and calendar for Microsoft 365.', ['Email', 'Calendar'], '#0078D4', 'oauth'],
  ['onedrive', 'OneDrive', 'Files in Microsoft 365.', ['Storage'], '#0364B8', 'oauth'],
  ['dropbox', 'Dropbox', 'Files and folders.', ['Storage'], '#0061FF', 'oauth'],
  ['box', 'Box', 'Content management for teams.', ['Storage'], '#0061D5', 'oauth'],
  ['jira', 'Jira', 'Issues, sprints and boards.', ['Project management', 'Developer tools'], '#0052CC', 'oauth'],
  ['confluence', 'Confluence', 'Team spaces and pages.', ['Knowledge base'], '#1868DB', 'oauth'],
  ['asana', 'Asana', 'Tasks and projects.', ['Project management'], '#F06A6A', 'oauth'],
  ['trello', 'Trello', 'Boards, lists and cards.', ['Project management'], '#0079BF', 'oauth'],
  ['clickup', 'ClickUp', 'Tasks, docs and goals.', ['Project management'], '#7B68EE', 'oauth'],
  ['monday', 'monday.com', 'Work management boards.', ['Project management'], '#FF3D57', 'oauth'],
  ['gitlab', 'GitLab', 'Merge requests and pipelines.', ['Developer tools'], '#FC6D26', 'oauth'],
  ['bitbucket', 'Bitbucket', 'Git repositories and pull requests.', ['Developer tools'], '#2684FF', 'oauth'],
  ['sentry', 'Sentry', 'Errors and performance issues.', ['Developer tools', 'Monitoring'], '#362D59', 'oauth'],
  ['datadog', 'Datadog', 'Metrics, logs and monitors.', ['Monitoring'], '#632CA6', 'token'],
  ['pagerduty', 'PagerDuty', 'Incidents and on-call schedules.', ['Monitoring'], '#06AC38', 'oauth'],
  ['salesforce', 'Salesforce', 'Accounts, contacts and opportunities.', ['CRM', 'Sales'], '#00A1E0', 'oauth'],
  ['hubspot', 'HubSpot', 'Contacts, deals and marketing email.', ['CRM', 'Marketing'], '#FF7A59', 'oauth'],
  ['pipedrive', 'Pipedrive', 'Sales pipeline and deals.', ['CRM', 'Sales'], '#017737', 'oauth'],
  ['zendesk', 'Zendesk', 'Support tickets and help center.', ['Support'], '#03363D', 'oauth'],
  ['intercom', 'Intercom', 'Customer conversations.', ['Support', 'Communication'], '#1F8DED', 'oauth'],
  ['stripe', 'Stripe', 'Payments, customers and invoices.', ['Finance'], '#635BFF', 'token'],
  ['quickbooks', 'QuickBooks', 'Accounting and invoices.', ['Finance'], '#2CA01C', 'oauth'],
  ['xero', 'Xero', 'Accounting for small businesses.', ['Finance'], '#13B5EA', 'oauth'],
  ['shopify', 'Shopify', 'Orders, products and customers.', ['E-commerce'], '#5E8E3E', 'oauth'],
  ['airtable', 'Airtable', 'Bases, tables and records.', ['Productivity', 'Database'], '#FCB400', 'oauth'],
  ['figma', 'Figma', 'Design files and comments.', ['Design'], '#A259FF', 'oauth'],
  ['miro', 'Miro', 'Whiteboards and diagrams.', ['Design', 'Productivity'], '#FFD02F', 'oauth'],
  ['zoom', 'Zoom', 'Meetings and recordings.', ['Communication', 'Calendar'], '#0B5CFF', 'oauth'],
  ['discord', 'Discord', 'Servers, channels and messages.', ['Communication'], '#5865F2', 'oauth'],
  ['calendly', 'Calendly', 'Scheduling links and bookings.', ['Calendar'], null, 'oauth'],
  ['mailchimp', 'Mailchimp', 'Audiences and campaigns.', ['Marketing', 'Email'], '#FFE01B', 'token'],
  ['exa', 'Exa search', 'Web search with the workspace key: nothing to connect.', ['Search'], '#1F40ED', ''],
]

export const SIMULATION_CATALOGUE: readonly SimulatedProvider[] = ROWS.map(([id, name, description, categories, color, auth]) => ({
  id,
  name,
  description,
  categories,
  color,
  auth: auth === '' ? [] : [auth as 'oauth' | 'token'],
}))

function initials(name: string): string {
  const words = name.replace(/\.com$/, '').split(/[\s-]+/).filter(Boolean)
  return (words.length > 1 ? `${words[0]?.[0] ?? ''}${words[1]?.[0] ?? ''}` : name.slice(0, 1)).toUpperCase()
}

/** Perceived brightness, so the letters stay readable on yellow as on navy. */
function isLight(hex: string): boolean {
  const value = Number.parseInt(hex.slice(1), 16)
  const r = (value >> 16) & 255
  const g = (value >> 8) & 255
  const b = value & 255
  return 0.299 * r + 0.587 * g + 0.114 * b > 170
}

/** A 64 × 64 logo: the brand colour, rounded, with the name's initials. */
export function drawLogo(provider: SimulatedProvider): string {
  if (!provider.color) return ''
  const text = initials(provider.name)
  const ink = isLight(provider.color) ? '#111' : '#fff'
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="14" fill="${provider.color}"/>` +
    `<text x="32" y="41" text-anchor="middle" font-family="Helvetica,Arial,sans-serif" font-weight="700" font-size="${text.length > 1 ? 24 : 30}" fill="${ink}">${text}</text></svg>`
  return `data:image/svg+xml,${encodeURIComponent(svg)}`
}
