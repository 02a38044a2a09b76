// Size budgets in bytes (min + gzip -9), checked by scripts/check-size.mjs in `npm test` and shown
// by `npm run bench`. Tighten freely; loosen only with a note in the README's "Performance" section.
const KB = 1024

/**
 * The issue that set them asked for hook ≤ 5.0 KB, button ≤ 7.0 KB, list ≤ 28 KB, callback ≤ 1.0 KB.
 * - list: 34.5 → 21.5 KB, under the 28 KB goal, once the native <dialog> replaced Radix Dialog;
 *   then 36.5 KB (measured 36.23 KB) with the disconnect dialog back on @radix-ui/react-dialog, as
 *   the design names it (about 13 KB of focus scope, dismissable layer, scroll lock and aria-hidden),
 *   and the catalogue (search, chips, logos, useProviders: under 2 KB). A host that already ships
 *   Radix Dialog pays none of the 13 KB twice: Radix stays an external import.
 * - button: 13.0 → 12.5 KB, once our own Slot replaced @radix-ui/react-slot.
 * - hook: still 10.5 KB, twice the 5.0 KB goal: the flow engine itself (request timeouts, the
 *   server-clock deadline, the watchers that catch a late success, the per-tree client) is about
 *   10 KB gzip, and no part of it is optional (README, "Performance").
 * - issue 18 asked for hook ≤ 8,500 B and button ≤ 10,500 B. The one-reducer engine measures
 *   10,750 and 12,678 (it also carries the back-forward-cache restore, redirect-mode wording and
 *   the headless run of `waitForSetupSession`); button tightened to what it is, hook kept.
 * - hook 10.5 → 10.75 KB and list 36.5 → 36.75 KB once the catalogue joined the HTTP backend
 *   (`listProviders` and its parse: about 250 B in every bundle that makes a backend from `endpoint`).
 * - issue 18, item 4, second pass: hook 10,754 → 10,583 B, button 12,679 → 12,619 B, list
 *   37,450 → 37,335 B (the hook no longer ships the button's prop list; a few rules and helpers said
 *   once). Tightened to hook 10.4 KB, button 12.35 KB, list 36.5 KB. Then about 20 B more in each
 *   (hook 10,602, button 12,639, list 37,354 B) for the engine's fix that keeps a guessed expiry. The 8,500 B hook and 10,500 B
 *   button goals are still not met: about 2.1 KB gzip (some 6 KB minified) would have to go, and
 *   the engine's parts are all promised by the docs; see the README's "Performance".
 * The list's last 231 B buy its parts: one context for its rows, toolbar and dialog, each of which
 * throws a clear error outside a root and composes the app's ref and class name.
 */
export const BUDGETS = {
  hook: 10.4 * KB,
  button: 12.35 * KB,
  list: 36.5 * KB + 231,
  callback: 1.0 * KB,
}
