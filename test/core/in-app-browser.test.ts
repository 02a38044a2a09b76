import { describe, expect, test } from 'vitest'
import { DEFAULT_REFUSES_IN_APP_BROWSER, detectInAppBrowser, systemBrowserUrl } from '../../src/core/index.js'

/** User agents as the apps and browsers send them. */
const IN_APP = [
  ['facebook', 'ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/17.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0]'],
  ['facebook', 'android', 'Mozilla/5.0 (Linux; Android 13; SM-S901B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/442.0.0.33.113;]'],
  ['instagram', 'ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 302.0.0.23.114 (iPhone13,2; iOS 16_6; en_US; en; scale=3.00; 1170x2532; 517869867)'],
  ['instagram', 'android', 'Mozilla/5.0 (Linux; Android 12; Pixel 6 Build/SQ3A.220705.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/103.0.5060.71 Mobile Safari/537.36 Instagram 243.1.0.14.111 Android (31/12; 420dpi; 1080x2209; Google/google; Pixel 6; oriole; oriole; en_US; 382290498)'],
  ['linkedin', 'ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.27.4020'],
  ['line', 'ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 15_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/12.5.0'],
  ['wechat', 'ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.33(0x18002129) NetType/WIFI Language/zh_CN'],
  ['tiktok', 'android', 'Mozilla/5.0 (Linux; Android 11; SM-A125F Build/RP1A.200720.012; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/98.0.4758.101 Mobile Safari/537.36 trill_2022109040 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/musical_ly app_version/21.9.4 ByteLocale/en ByteFullLocale/en Region/US BytedanceWebview/d8a21c6'],
  ['tiktok', 'ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_27.1.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US ByteFullLocale/en isDarkMode/0 WKWebView/1 RevealType/Dialog BytedanceWebview/d8a21c6'],
  ['twitter', 'ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Twitter for iPhone/10.10'],
  ['snapchat', 'ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.40.0.37 (like Safari/8615.2.9.10.4, panda)'],
  ['webview', 'android', 'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UD1A.230803.041; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.43 Mobile Safari/537.36'],
  ['webview', 'ios', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148'],
] as const

const REAL_BROWSERS = [
  ['Safari on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1'],
  ['Chrome on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1'],
  ['Firefox on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 Mobile/15E148 Safari/605.1.15'],
  ['Google app on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/300.0.598994205 Mobile/15E148 Safari/604.1'],
  ['Safari on iPad (desktop site)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15'],
  ['Chrome on Android', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36'],
  ['Samsung Internet', 'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36'],
  ['Firefox on Android', 'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0'],
  ['Chrome on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'],
  ['Firefox on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
  ['a server', ''],
] as const

describe('detectInAppBrowser', () => {
  test.each(IN_APP)('given %s on %s, it names the app and the platform', (app, platform, userAgent) => {
    expect(detectInAppBrowser(userAgent)).toMatchObject({ app, platform })
  })

  test.each(REAL_BROWSERS)('given %s, it says null', (_name, userAgent) => {
    expect(detectInAppBrowser(userAgent)).toBeNull()
  })

  test('reads the iOS version', () => {
    expect(detectInAppBrowser(IN_APP[0][2])?.iosVersion).toBe(17)
    expect(detectInAppBrowser(IN_APP[1][2])?.iosVersion).toBeNull()
  })
})

describe('systemBrowserUrl', () => {
  const page = 'https://app.example.com/settings/integrations?tab=all#google'

  test('on Android, an intent for the same page that falls back to the page itself', () => {
    const url = systemBrowserUrl(page, { app: 'instagram', platform: 'android', iosVersion: null })
    expect(url).toBe(
      `intent://app.example.com/settings/integrations?tab=all#Intent;scheme=https;action=android.intent.action.VIEW;S.browser_fallback_url=${encodeURIComponent(page)};end`,
    )
  })

  test('on iOS 17 and later, x-safari-https; before 17 there is none', () => {
    expect(systemBrowserUrl(page, { app: 'facebook', platform: 'ios', iosVersion: 17 })).toBe(`x-safari-${page}`)
    expect(systemBrowserUrl('http://localhost:5173/', { app: 'facebook', platform: 'ios', iosVersion: 18 })).toBe('x-safari-http://localhost:5173/')
    expect(systemBrowserUrl(page, { app: 'facebook', platform: 'ios', iosVersion: 16 })).toBeNull()
  })

  test('elsewhere, or for a page that is not http(s), none', () => {
    expect(systemBrowserUrl(page, { app: 'webview', platform: 'other', iosVersion: null })).toBeNull()
    expect(systemBrowserUrl('file:///index.html', { app: 'webview', platform: 'android', iosVersion: null })).toBeNull()
    expect(systemBrowserUrl('not a url', { app: 'webview', platform: 'android', iosVersion: null })).toBeNull()
  })
})

test('the default matcher names Google’s providers and no others', () => {
  for (const name of ['google-calendar', 'Gmail', 'Google Drive', 'youtube']) expect(DEFAULT_REFUSES_IN_APP_BROWSER.test(name), name).toBe(true)
  for (const name of ['slack', 'GitHub', 'Notion', 'Microsoft Outlook']) expect(DEFAULT_REFUSES_IN_APP_BROWSER.test(name), name).toBe(false)
})
