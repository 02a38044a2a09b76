import type { ProviderInfo } from '../simulation/index.js'

/** The providers the playground offers, shared by the simulation and the page. */
export const PLAYGROUND_PROVIDERS: Array<ProviderInfo & { providerId: string }> = [
  { providerId: 'slack', name: 'Slack', icon: '💬' },
  { providerId: 'github', name: 'GitHub', icon: '🐙' },
  { providerId: 'google-calendar', name: 'Google Calendar', icon: '📅' },
  { providerId: 'linear', name: 'Linear', icon: 'L' },
  { providerId: 'notion', name: 'Notion', icon: 'N' },
]
