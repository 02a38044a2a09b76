import type { ConnectError } from '../core/errors.js'
import type { Locale } from './locale.js'

// "ربط" (to link) for connect, "قطع الاتصال" for disconnect, "حساب" for account, "عملية تكامل" for
// an integration; buttons are verbal nouns ("ربط", "إلغاء"), as Arabic interfaces label commands.

const errors: Locale['errors'] = {
  network: 'تعذّر الوصول إلى الخدمة. تحقّق من اتصالك وحاول مرة أخرى.',
  http: 'ردّت الخدمة بخطأ. حاول مرة أخرى بعد قليل.',
  invalid_response: 'أرسلت الخدمة ردًا تعذّرت قراءته.',
  unsafe_url: 'لم تُفتح صفحة تسجيل الدخول لأن عنوانها غير آمن.',
  popup_blocked: 'حظر متصفحك نافذة تسجيل الدخول.',
  timeout: 'استغرق تسجيل الدخول وقتًا طويلًا. حاول مرة أخرى.',
  aborted: 'أُلغيت عملية الربط.',
  session_failed: 'لم يُمنح الإذن بالوصول.',
  session_expired: 'انتهت صلاحية تسجيل الدخول قبل إكماله.',
  session_archived: 'أُغلق تسجيل الدخول قبل إكماله.',
  invalid_options: 'لم يُعدّ هذا الربط بشكل صحيح.',
}

const oops = 'حدث خطأ ما.'

// The error's own code picks the sentence: `error.message` is English.
const reason = (error: ConnectError | null, fallback: string): string => (error ? errors[error.code] : fallback)

let rules: Intl.PluralRules | undefined
let numbers: Intl.NumberFormat | undefined

/** Arabic has six plural forms; `#` is the number, written the Arabic way. */
const plural = (n: number, forms: Record<Intl.LDMLPluralRule, string>): string =>
  forms[(rules ??= new Intl.PluralRules('ar')).select(n)].replace('#', (numbers ??= new Intl.NumberFormat('ar')).format(n))

const named = (name: string | null): string => (name ? ` (${name})` : '')

export const ar: Locale = {
  code: 'ar',
  dir: 'rtl',
  button: {
    connect: ({ providerName }) => `ربط ${providerName}`,
    creating: 'جارٍ الربط…',
    pending: ({ providerName }) => `في انتظار ${providerName}…`,
    blocked: ({ providerName }) => `فتح ${providerName}`,
    completed: ({ providerName }) => `تم ربط ${providerName}`,
    retry: ({ providerName }) => `إعادة محاولة ربط ${providerName}`,
    opensInNewWindow: '(يُفتح في نافذة جديدة)',
    cancel: 'إلغاء',
    popupBlocked: ({ providerName }) => `حظر متصفحك نافذة ${providerName}.`,
    continueInNewTab: 'المتابعة في علامة تبويب جديدة',
    expiredMessage: 'انتهت صلاحية الجلسة قبل إكمالها.',
    archivedMessage: 'أُغلقت الجلسة قبل إكمالها.',
    announceCreating: ({ providerName }) => `جارٍ ربط ${providerName}…`,
    announcePending: ({ providerName }) => `أكمل الربط في نافذة ${providerName}.`,
    announceRedirect: ({ providerName }) => `جارٍ الانتقال إلى ${providerName}…`,
    announceCompleted: ({ providerName }) => `تم ربط ${providerName}.`,
    announceFailed: ({ providerName, error }) => `لم يتم ربط ${providerName}: ${reason(error, errors.session_failed)}`,
    announceExpired: ({ providerName }) => `انتهت مهلة ربط ${providerName}. حاول مرة أخرى.`,
    announceArchived: ({ providerName }) => `أُغلقت عملية ربط ${providerName}. حاول مرة أخرى.`,
    announceCancelled: ({ providerName }) => `أُلغيت عملية ربط ${providerName}.`,
    announceError: ({ providerName, error }) => `تعذّر ربط ${providerName}: ${reason(error, oops)}`,
  },
  list: {
    connect: 'ربط',
    connectLabel: ({ providerName }) => `ربط ${providerName}`,
    reconnect: 'إعادة الربط',
    reconnectLabel: ({ providerName, connectionName }) => `إعادة الربط بـ${providerName}${named(connectionName)}`,
    retry: 'إعادة المحاولة',
    retryLabel: ({ providerName }) => `إعادة المحاولة لربط ${providerName}`,
    creating: 'جارٍ الربط…',
    pending: ({ providerName }) => `في انتظار ${providerName}…`,
    blocked: ({ providerName }) => `فتح ${providerName}`,
    opensInNewWindow: '(يُفتح في نافذة جديدة)',
    cancel: 'إلغاء',
    cancelLabel: ({ providerName }) => `إلغاء عملية ربط ${providerName}`,
    disconnect: 'قطع الاتصال',
    disconnectLabel: ({ providerName, connectionName }) => `قطع الاتصال بـ${providerName}${named(connectionName)}`,
    statusDisconnected: 'غير مرتبط',
    statusAvailable: 'متاح، لا يلزم تسجيل الدخول',
    statusCreating: ({ providerName }) => `جارٍ ربط ${providerName}…`,
    statusPending: ({ providerName }) => `أكمل الربط في نافذة ${providerName}.`,
    statusConnected: ({ date }) => (date ? `مرتبط منذ ${date}` : 'مرتبط'),
    statusConnectedMany: ({ count }) =>
      plural(count, {
        zero: 'لا توجد حسابات مرتبطة',
        one: 'حساب واحد مرتبط',
        two: 'حسابان مرتبطان',
        few: '# حسابات مرتبطة',
        many: '# حسابًا مرتبطًا',
        other: '# حساب مرتبط',
      }),
    statusRevoked: ({ date }) => `قُطع الاتصال${date ? ` في ${date}` : ''} — أعد الربط لاستخدامه مجددًا`,
    rename: 'إعادة تسمية',
    renameLabel: ({ providerName, connectionName }) => `إعادة تسمية حساب ${providerName}${named(connectionName)}`,
    renameField: ({ providerName }) => `اسم حساب ${providerName} هذا`,
    renameSave: 'حفظ',
    renameSaving: 'جارٍ الحفظ…',
    renameCancel: 'إلغاء',
    renameEmpty: 'أدخل اسمًا.',
    renameTooLong: 'استخدم 100 حرف أو أقل.',
    renameError: ({ error }) => `تعذّرت إعادة التسمية: ${reason(error, oops)}`,
    announceRenamed: ({ providerName, connectionName }) => `أُعيدت تسمية حساب ${providerName} إلى ${connectionName ?? ''}.`,
    connectionName: ({ connection }) => connection?.label || connection?.name || connection?.description || connection?.id || '',
    connectionSince: ({ date }) => (date ? `منذ ${date}` : ''),
    errorFailed: ({ providerName, error }) => `لم يتم ربط ${providerName}: ${reason(error, errors.session_failed)}`,
    errorExpired: ({ providerName }) => `انتهت صلاحية تسجيل الدخول إلى ${providerName}.`,
    errorArchived: ({ providerName }) => `أُغلق تسجيل الدخول إلى ${providerName}.`,
    errorConnect: ({ providerName, error }) => `تعذّر ربط ${providerName}: ${reason(error, oops)}`,
    errorDisconnect: ({ providerName, error }) => `تعذّر قطع الاتصال بـ${providerName}: ${reason(error, oops)}`,
    popupBlocked: ({ providerName }) => `حظر متصفحك نافذة ${providerName}.`,
    continueInNewTab: 'المتابعة في علامة تبويب جديدة',
    announceConnected: ({ providerName }) => `تم ربط ${providerName}.`,
    announceCancelled: ({ providerName }) => `أُلغيت عملية ربط ${providerName}.`,
    announceDisconnected: ({ providerName }) => `تم قطع الاتصال بـ${providerName}.`,
    loading: 'جارٍ تحميل الحسابات المرتبطة…',
    empty: 'لا توجد عمليات تكامل لعرضها.',
    listError: ({ error }) => `تعذّر تحميل حساباتك المرتبطة: ${reason(error, oops)}`,
    listRetry: 'إعادة المحاولة',
    loadingCatalogue: 'جارٍ تحميل عمليات التكامل…',
    catalogueError: ({ error }) => `تعذّر تحميل عمليات التكامل: ${reason(error, oops)}`,
    searchLabel: 'البحث في عمليات التكامل',
    searchPlaceholder: 'الاسم أو الوصف أو الفئة',
    searchResults: ({ count }) =>
      plural(count, {
        zero: 'لم يُعثر على أي عملية تكامل',
        one: 'تم العثور على عملية تكامل واحدة',
        two: 'تم العثور على عمليتَي تكامل',
        few: 'تم العثور على # عمليات تكامل',
        many: 'تم العثور على # عملية تكامل',
        other: 'تم العثور على # عملية تكامل',
      }),
    noResults: 'لا توجد عمليات تكامل تطابق بحثك.',
    categoriesLabel: 'الفئات',
    allCategories: 'الكل',
    addAccount: 'إضافة حساب آخر',
    addAccountLabel: ({ providerName }) => `إضافة حساب آخر في ${providerName}`,
    dialogTitle: ({ providerName }) => `هل تريد قطع الاتصال بـ${providerName}؟`,
    dialogDescription: ({ providerName, connectionName }) =>
      `لن يكون حسابك في ${providerName}${named(connectionName)} متاحًا هنا بعد الآن. يمكنك ربطه مجددًا في أي وقت.`,
    dialogCancel: 'إلغاء',
    dialogConfirm: 'قطع الاتصال',
  },
  errors,
  popup: { connecting: ({ providerName }) => `جارٍ ربط ${providerName}…` },
  link: {
    startTitle: ({ providerName }) => `ربط ${providerName}`,
    startText: ({ providerName, appName }) => (appName ? `يطلب ${appName} ربط حسابك في ${providerName}.` : `اربط حسابك في ${providerName}.`),
    startHint: ({ providerName }) => `ستسجّل الدخول إلى ${providerName} وتختار ما تسمح به.`,
    startButton: ({ providerName }) => `ربط ${providerName}`,
    connectedTitle: ({ providerName }) => `تم ربط ${providerName}`,
    connectedText: 'يمكنك إغلاق علامة التبويب هذه.',
    failedTitle: ({ providerName }) => `لم يتم ربط ${providerName}`,
    failedText: 'رُفض الوصول أو لم يكتمل الربط. يمكنك المحاولة مجددًا ما دام هذا الرابط صالحًا.',
    failedButton: 'إعادة المحاولة',
    expiredTitle: 'انتهت صلاحية هذا الرابط',
    expiredText: ({ providerName }) => `اطلب رابطًا جديدًا لربط ${providerName}.`,
    usedTitle: 'سبق استخدام هذا الرابط',
    usedText: ({ providerName }) => `رُبط ${providerName} باستخدامه. اطلب رابطًا جديدًا لإعادة الربط.`,
    notFoundTitle: 'الرابط غير موجود',
    notFoundText: 'هذا الرابط غير موجود أو سُحب. اطلب رابطًا جديدًا.',
    busyTitle: 'محاولات كثيرة جدًا',
    busyText: 'انتظر دقيقة، ثم افتح الرابط مجددًا.',
    errorTitle: 'حدث خطأ ما',
    errorText: 'تعذّر بدء الربط الآن. حاول مرة أخرى بعد قليل.',
    errorButton: 'إعادة المحاولة',
  },
}
