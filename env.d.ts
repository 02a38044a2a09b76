// Stories, the playground and Storybook's preview import the stylesheet for its side effect.
declare module '*.css'
