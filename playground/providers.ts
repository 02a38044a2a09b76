import type { ProviderInfo } from '../src/simulation/index.js'

/** The providers the playground offers, shared by the simulation and the page. */
export const PLAYGROUND_PROVIDERS: Array<ProviderInfo & { providerId: string; description: string }> = [
  { providerId: 'slack', name: 'Slack', icon: 'S', description: 'Post updates to channels.' },
  { providerId: 'github', name: 'GitHub', icon: 'G', description: 'Issues and pull requests.' },
  { providerId: 'google-calendar', name: 'Google Calendar', icon: 'C', description: 'Read and create events.' },
  { providerId: 'linear', name: 'Linear', icon: 'L', description: 'Create and track issues.' },
  { providerId: 'notion', name: 'Notion', icon: 'N', description: 'Search and edit pages.' },
]
