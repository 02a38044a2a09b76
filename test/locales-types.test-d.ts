// Type tests of the locales (checked by `npm run typecheck`): every shipped locale is a full
// `Locale`, a locale missing a key is a type error, and ConnectProvider takes one or several.
import { expectTypeOf } from 'vitest'
import type { ComponentProps } from 'react'
import type { ConnectErrorCode, ConnectProvider } from '../src/index.js'
import { ar, de, en, es, fr, ja, ptBR, zhCN } from '../src/locales/index.js'
import type { Locale } from '../src/locales/index.js'

for (const locale of [en, de, fr, es, ja, ptBR, zhCN, ar]) expectTypeOf(locale).toEqualTypeOf<Locale>()
expectTypeOf<Locale['errors']>().toEqualTypeOf<Record<ConnectErrorCode, string>>()
expectTypeOf<Locale['dir']>().toEqualTypeOf<'ltr' | 'rtl'>()
expectTypeOf<ComponentProps<typeof ConnectProvider>['locale']>().toEqualTypeOf<Locale | readonly Locale[] | undefined>()

const { announceError: _dropped, ...withoutOne } = de.button
// @ts-expect-error A locale without one of the button's strings is not a Locale.
export const incomplete: Locale = { ...de, button: withoutOne }
// @ts-expect-error Nor one without an error code's sentence.
export const noTimeout: Locale = { ...de, errors: { ...de.errors, timeout: undefined } }
