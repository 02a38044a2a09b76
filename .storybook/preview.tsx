import type { Decorator, Preview } from '@storybook/react-vite'
import '../src/styles.css'
// After the library's CSS: the preview's fonts are the repository's own (see the file).
import './hermetic-fonts.css'

/**
 * `styles.css` reads `data-theme` from an ancestor; the toolbar switches it. "System" sets none,
 * so the stories follow `prefers-color-scheme` like a host page that does not choose.
 */
const withTheme: Decorator = (Story, context) => {
  const theme = context.globals['theme'] === 'dark' || context.globals['theme'] === 'light' ? context.globals['theme'] : undefined
  return (
    <div
      data-theme={theme}
      style={{
        padding: '1.5rem',
        // A full-page backdrop for one story; in a docs page, as tall as the story itself.
        minHeight: context.viewMode === 'docs' ? undefined : '100vh',
        boxSizing: 'border-box',
        background: 'var(--rpc-bg)',
        color: 'var(--rpc-text)',
        fontFamily: 'var(--sb-font-sans)',
      }}
    >
      <Story />
    </div>
  )
}

const preview: Preview = {
  // A docs page per component: its description, a props table drawn from the types, every story.
  tags: ['autodocs'],
  decorators: [withTheme],
  globalTypes: {
    theme: {
      description: 'The `data-theme` of the stories’ container',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'system', title: 'System', icon: 'browser' },
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'system' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
}

export default preview
