import type { ConnectError } from '../core/errors.js'
import type { Locale } from './locale.js'

// "Verbinden", "Trennen", "Konto" and "Integration", addressing the user as "Sie"; a provider's
// name joins a noun with a hyphen ("Slack-Konto"), and quotes are „…“.

const errors: Locale['errors'] = {
  network: 'Der Dienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  http: 'Der Dienst hat mit einem Fehler geantwortet. Versuchen Sie es gleich noch einmal.',
  invalid_response: 'Die Antwort des Dienstes konnte nicht gelesen werden.',
  unsafe_url: 'Die Adresse der Anmeldeseite war nicht sicher und wurde daher nicht geöffnet.',
  popup_blocked: 'Ihr Browser hat das Anmeldefenster blockiert.',
  timeout: 'Die Anmeldung hat zu lange gedauert. Versuchen Sie es erneut.',
  aborted: 'Die Verbindung wurde abgebrochen.',
  session_failed: 'Der Zugriff wurde nicht gewährt.',
  session_expired: 'Die Anmeldung ist abgelaufen, bevor sie abgeschlossen wurde.',
  session_archived: 'Die Anmeldung wurde geschlossen, bevor sie abgeschlossen wurde.',
  invalid_options: 'Diese Verbindung ist nicht richtig eingerichtet.',
}

const oops = 'Etwas ist schiefgelaufen.'

// The error's own code picks the sentence: `error.message` is English.
const reason = (error: ConnectError | null, fallback: string): string => (error ? errors[error.code] : fallback)

let rules: Intl.PluralRules | undefined
let numbers: Intl.NumberFormat | undefined

/** `one` or `other` as `Intl.PluralRules('de')` picks; `#` is the number. */
const plural = (n: number, one: string, other: string): string =>
  ((rules ??= new Intl.PluralRules('de')).select(n) === 'one' ? one : other).replace('#', (numbers ??= new Intl.NumberFormat('de')).format(n))

const named = (name: string | null): string => (name ? ` (${name})` : '')

export const de: Locale = {
  code: 'de',
  dir: 'ltr',
  button: {
    connect: ({ providerName }) => `${providerName} verbinden`,
    creating: 'Wird verbunden…',
    pending: ({ providerName }) => `Warten auf ${providerName}…`,
    blocked: ({ providerName }) => `${providerName} öffnen`,
    completed: ({ providerName }) => `${providerName} verbunden`,
    retry: ({ providerName }) => `${providerName} erneut verbinden`,
    opensInNewWindow: '(öffnet sich in einem neuen Fenster)',
    cancel: 'Abbrechen',
    popupBlocked: ({ providerName }) => `Ihr Browser hat das ${providerName}-Fenster blockiert.`,
    continueInNewTab: 'In neuem Tab fortfahren',
    expiredMessage: 'Die Sitzung ist abgelaufen, bevor sie abgeschlossen wurde.',
    archivedMessage: 'Die Sitzung wurde geschlossen, bevor sie abgeschlossen wurde.',
    announceCreating: ({ providerName }) => `Verbindung mit ${providerName} wird hergestellt…`,
    announcePending: ({ providerName }) => `Schließen Sie die Verbindung im ${providerName}-Fenster ab.`,
    announceRedirect: ({ providerName }) => `Weiter zu ${providerName}…`,
    announceCompleted: ({ providerName }) => `${providerName} verbunden.`,
    announceFailed: ({ providerName, error }) => `${providerName} wurde nicht verbunden: ${reason(error, errors.session_failed)}`,
    announceExpired: ({ providerName }) => `Die Verbindung mit ${providerName} ist abgelaufen. Versuchen Sie es erneut.`,
    announceArchived: ({ providerName }) => `Die Verbindung mit ${providerName} wurde geschlossen. Versuchen Sie es erneut.`,
    announceCancelled: ({ providerName }) => `Verbindung mit ${providerName} abgebrochen.`,
    announceError: ({ providerName, error }) => `${providerName} konnte nicht verbunden werden: ${reason(error, oops)}`,
  },
  list: {
    connect: 'Verbinden',
    connectLabel: ({ providerName }) => `${providerName} verbinden`,
    reconnect: 'Erneut verbinden',
    reconnectLabel: ({ providerName, connectionName }) => `${providerName}${named(connectionName)} erneut verbinden`,
    retry: 'Erneut versuchen',
    retryLabel: ({ providerName }) => `Erneut versuchen, ${providerName} zu verbinden`,
    creating: 'Wird verbunden…',
    pending: ({ providerName }) => `Warten auf ${providerName}…`,
    blocked: ({ providerName }) => `${providerName} öffnen`,
    opensInNewWindow: '(öffnet sich in einem neuen Fenster)',
    cancel: 'Abbrechen',
    cancelLabel: ({ providerName }) => `Verbindung mit ${providerName} abbrechen`,
    disconnect: 'Trennen',
    disconnectLabel: ({ providerName, connectionName }) => `${providerName}${named(connectionName)} trennen`,
    statusDisconnected: 'Nicht verbunden',
    statusAvailable: 'Verfügbar, keine Anmeldung nötig',
    statusCreating: ({ providerName }) => `Verbindung mit ${providerName} wird hergestellt…`,
    statusPending: ({ providerName }) => `Schließen Sie die Verbindung im ${providerName}-Fenster ab.`,
    statusConnected: ({ date }) => (date ? `Verbunden seit ${date}` : 'Verbunden'),
    statusConnectedMany: ({ count }) => plural(count, '# Konto verbunden', '# Konten verbunden'),
    statusRevoked: ({ date }) => `Getrennt${date ? ` am ${date}` : ''} – zum Weiterverwenden erneut verbinden`,
    rename: 'Umbenennen',
    renameLabel: ({ providerName, connectionName }) => `${providerName}-Konto${named(connectionName)} umbenennen`,
    renameField: ({ providerName }) => `Name dieses ${providerName}-Kontos`,
    renameSave: 'Speichern',
    renameSaving: 'Wird gespeichert…',
    renameCancel: 'Abbrechen',
    renameEmpty: 'Geben Sie einen Namen ein.',
    renameTooLong: 'Verwenden Sie höchstens 100 Zeichen.',
    renameError: ({ error }) => `Umbenennen fehlgeschlagen: ${reason(error, oops)}`,
    announceRenamed: ({ providerName, connectionName }) => `${providerName}-Konto in „${connectionName ?? ''}“ umbenannt.`,
    connectionName: ({ connection }) => connection?.label || connection?.name || connection?.description || connection?.id || '',
    connectionSince: ({ date }) => (date ? `Seit ${date}` : ''),
    errorFailed: ({ providerName, error }) => `${providerName} wurde nicht verbunden: ${reason(error, errors.session_failed)}`,
    errorExpired: ({ providerName }) => `Die Anmeldung bei ${providerName} ist abgelaufen.`,
    errorArchived: ({ providerName }) => `Die Anmeldung bei ${providerName} wurde geschlossen.`,
    errorConnect: ({ providerName, error }) => `${providerName} konnte nicht verbunden werden: ${reason(error, oops)}`,
    errorDisconnect: ({ providerName, error }) => `${providerName} konnte nicht getrennt werden: ${reason(error, oops)}`,
    popupBlocked: ({ providerName }) => `Ihr Browser hat das ${providerName}-Fenster blockiert.`,
    continueInNewTab: 'In neuem Tab fortfahren',
    announceConnected: ({ providerName }) => `${providerName} verbunden.`,
    announceCancelled: ({ providerName }) => `Verbindung mit ${providerName} abgebrochen.`,
    announceDisconnected: ({ providerName }) => `${providerName} getrennt.`,
    loading: 'Verbindungen werden geladen…',
    empty: 'Keine Integrationen vorhanden.',
    listError: ({ error }) => `Ihre Verbindungen konnten nicht geladen werden: ${reason(error, oops)}`,
    listRetry: 'Erneut versuchen',
    loadingCatalogue: 'Integrationen werden geladen…',
    catalogueError: ({ error }) => `Die Integrationen konnten nicht geladen werden: ${reason(error, oops)}`,
    searchLabel: 'Integrationen durchsuchen',
    searchPlaceholder: 'Name, Beschreibung oder Kategorie',
    searchResults: ({ count }) => (count === 0 ? 'Keine Integrationen gefunden' : plural(count, '# Integration gefunden', '# Integrationen gefunden')),
    noResults: 'Keine Integration entspricht Ihrer Suche.',
    categoriesLabel: 'Kategorien',
    allCategories: 'Alle',
    addAccount: 'Weiteres Konto hinzufügen',
    addAccountLabel: ({ providerName }) => `Weiteres Konto hinzufügen (${providerName})`,
    dialogTitle: ({ providerName }) => `${providerName} trennen?`,
    dialogDescription: ({ providerName, connectionName }) =>
      `Ihr ${providerName}-Konto${named(connectionName)} ist hier nicht mehr verfügbar. Sie können es jederzeit wieder verbinden.`,
    dialogCancel: 'Abbrechen',
    dialogConfirm: 'Trennen',
  },
  errors,
  popup: { connecting: ({ providerName }) => `Verbindung mit ${providerName} wird hergestellt…` },
  link: {
    startTitle: ({ providerName }) => `${providerName} verbinden`,
    startText: ({ providerName, appName }) => (appName ? `${appName} möchte Ihr ${providerName}-Konto verbinden.` : `Verbinden Sie Ihr ${providerName}-Konto.`),
    startHint: ({ providerName }) => `Sie melden sich bei ${providerName} an und wählen, was Sie erlauben.`,
    startButton: ({ providerName }) => `${providerName} verbinden`,
    connectedTitle: ({ providerName }) => `${providerName} ist verbunden`,
    connectedText: 'Sie können diesen Tab schließen.',
    failedTitle: ({ providerName }) => `${providerName} wurde nicht verbunden`,
    failedText: 'Der Zugriff wurde verweigert oder die Verbindung nicht abgeschlossen. Solange dieser Link gültig ist, können Sie es erneut versuchen.',
    failedButton: 'Erneut versuchen',
    expiredTitle: 'Dieser Link ist abgelaufen',
    expiredText: ({ providerName }) => `Fordern Sie einen neuen Link an, um ${providerName} zu verbinden.`,
    usedTitle: 'Dieser Link wurde bereits verwendet',
    usedText: ({ providerName }) => `${providerName} wurde damit verbunden. Fordern Sie einen neuen Link an, um erneut zu verbinden.`,
    notFoundTitle: 'Link nicht gefunden',
    notFoundText: 'Dieser Link existiert nicht oder wurde zurückgezogen. Fordern Sie einen neuen an.',
    busyTitle: 'Zu viele Versuche',
    busyText: 'Warten Sie eine Minute und öffnen Sie den Link dann erneut.',
    errorTitle: 'Etwas ist schiefgelaufen',
    errorText: 'Die Verbindung konnte gerade nicht gestartet werden. Versuchen Sie es gleich noch einmal.',
    errorButton: 'Erneut versuchen',
  },
}
