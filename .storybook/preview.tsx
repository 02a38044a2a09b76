import type { Decorator, Preview } from '@storybook/react-vite'
import '../src/styles.css'

type Theme = 'light' | 'dark'

/** `styles.css` reads `data-theme` from an ancestor; the toolbar switches it. */
const withTheme: Decorator = (Story, context) => {
  const theme: Theme = context.globals['theme'] === 'dark' ? 'dark' : 'light'
  return (
    <div
      data-theme={theme}
      style={{
        padding: '1.5rem',
        minHeight: '100vh',
        boxSizing: 'border-box',
        background: theme === 'dark' ? '#111827' : '#ffffff',
        color: theme === 'dark' ? '#e5e7eb' : '#1f2937',
        fontFamily: 'system-ui, sans-serif',
      }}
    >
      <Story />
    </div>
  )
}

const preview: Preview = {
  decorators: [withTheme],
  globalTypes: {
    theme: {
      description: 'The `data-theme` of the stories’ container',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
}

export default preview
