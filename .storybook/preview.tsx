import type { Decorator, Preview } from '@storybook/react-vite'
import '../src/styles.css'
// After the library's CSS: the preview's fonts are the repository's own (see the file).
import './hermetic-fonts.css'
import { STORY_LOCALES, storyLocale } from '../stories/story-locale.js'

/**
 * `styles.css` reads `data-theme` from an ancestor; the toolbar switches it. "System" sets none,
 * so the stories follow `prefers-color-scheme` like a host page that does not choose.
 */
const withTheme: Decorator = (Story, context) => {
  const theme = context.globals['theme'] === 'dark' || context.globals['theme'] === 'light' ? context.globals['theme'] : undefined
  // The toolbar's language (the stories' ConnectProvider reads it too): the container reads that way.
  const locale = storyLocale(context.globals)
  return (
    <div
      data-theme={theme}
      lang={locale?.code}
      dir={locale?.dir}
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
    locale: {
      description: 'The `locale` of the stories’ `ConnectProvider`',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        items: [{ value: 'default', title: 'Default (no locale)' }, ...Object.entries(STORY_LOCALES).map(([value, locale]) => ({ value, title: `${value} (${locale.dir})` }))],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'system', locale: 'default' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
}

export default preview
