import type { ConnectError } from '../core/errors.js'
import type { Locale } from './locale.js'

// "Connecter", "Déconnecter", "compte" and "intégration", addressing the user as "vous"; French
// spacing (a no-break space before ":" and inside « », a narrow one before "?"), the apostrophe ’,
// and "de" elided before a name that starts with a vowel ("la fenêtre d’Outlook").

const errors: Locale['errors'] = {
  network: 'Le service est injoignable. Vérifiez votre connexion, puis réessayez.',
  http: 'Le service a répondu par une erreur. Réessayez dans un instant.',
  invalid_response: 'La réponse du service est illisible.',
  unsafe_url: 'L’adresse de la page d’identification n’était pas sûre\u00a0: elle n’a pas été ouverte.',
  popup_blocked: 'Votre navigateur a bloqué la fenêtre d’identification.',
  timeout: 'L’identification a pris trop de temps. Réessayez.',
  aborted: 'La connexion a été annulée.',
  session_failed: 'L’accès n’a pas été accordé.',
  session_expired: 'L’identification a expiré avant d’être terminée.',
  session_archived: 'L’identification a été fermée avant d’être terminée.',
  invalid_options: 'Cette connexion n’est pas configurée correctement.',
}

const oops = 'Une erreur est survenue.'

// The error's own code picks the sentence: `error.message` is English.
const reason = (error: ConnectError | null, fallback: string): string => (error ? errors[error.code] : fallback)

let rules: Intl.PluralRules | undefined
let numbers: Intl.NumberFormat | undefined

/** `one` or every other form `Intl.PluralRules('fr')` picks; `#` is the number. */
const plural = (n: number, one: string, other: string): string =>
  ((rules ??= new Intl.PluralRules('fr')).select(n) === 'one' ? one : other).replace('#', (numbers ??= new Intl.NumberFormat('fr')).format(n))

const named = (name: string | null): string => (name ? ` (${name})` : '')

/** "de Slack", "d’Outlook". */
const of = (name: string): string => (/^[aeiouàâæéèêëîïôœùûü]/i.test(name) ? `d’${name}` : `de ${name}`)

export const fr: Locale = {
  code: 'fr',
  dir: 'ltr',
  button: {
    connect: ({ providerName }) => `Connecter ${providerName}`,
    creating: 'Connexion en cours…',
    pending: ({ providerName }) => `En attente ${of(providerName)}…`,
    blocked: ({ providerName }) => `Ouvrir ${providerName}`,
    completed: ({ providerName }) => `${providerName} connecté`,
    retry: ({ providerName }) => `Réessayer avec ${providerName}`,
    opensInNewWindow: '(s’ouvre dans une nouvelle fenêtre)',
    cancel: 'Annuler',
    popupBlocked: ({ providerName }) => `Votre navigateur a bloqué la fenêtre ${of(providerName)}.`,
    continueInNewTab: 'Continuer dans un nouvel onglet',
    expiredMessage: 'La session a expiré avant d’être terminée.',
    archivedMessage: 'La session a été fermée avant d’être terminée.',
    announceCreating: ({ providerName }) => `Connexion à ${providerName}…`,
    announcePending: ({ providerName }) => `Terminez la connexion dans la fenêtre ${of(providerName)}.`,
    announceRedirect: ({ providerName }) => `Redirection vers ${providerName}…`,
    announceCompleted: ({ providerName }) => `${providerName} connecté.`,
    announceFailed: ({ providerName, error }) => `${providerName} n’a pas été connecté. ${reason(error, errors.session_failed)}`,
    announceExpired: ({ providerName }) => `La connexion à ${providerName} a expiré. Réessayez.`,
    announceArchived: ({ providerName }) => `La connexion à ${providerName} a été fermée. Réessayez.`,
    announceCancelled: ({ providerName }) => `Connexion à ${providerName} annulée.`,
    announceError: ({ providerName, error }) => `Impossible de connecter ${providerName}. ${reason(error, oops)}`,
  },
  list: {
    connect: 'Connecter',
    connectLabel: ({ providerName }) => `Connecter ${providerName}`,
    reconnect: 'Reconnecter',
    reconnectLabel: ({ providerName, connectionName }) => `Reconnecter ${providerName}${named(connectionName)}`,
    retry: 'Réessayer',
    retryLabel: ({ providerName }) => `Réessayer de connecter ${providerName}`,
    creating: 'Connexion en cours…',
    pending: ({ providerName }) => `En attente ${of(providerName)}…`,
    blocked: ({ providerName }) => `Ouvrir ${providerName}`,
    opensInNewWindow: '(s’ouvre dans une nouvelle fenêtre)',
    cancel: 'Annuler',
    cancelLabel: ({ providerName }) => `Annuler la connexion à ${providerName}`,
    disconnect: 'Déconnecter',
    disconnectLabel: ({ providerName, connectionName }) => `Déconnecter ${providerName}${named(connectionName)}`,
    statusDisconnected: 'Non connecté',
    statusAvailable: 'Disponible, sans identification',
    statusCreating: ({ providerName }) => `Connexion à ${providerName}…`,
    statusPending: ({ providerName }) => `Terminez la connexion dans la fenêtre ${of(providerName)}.`,
    statusConnected: ({ date }) => (date ? `Connecté depuis le ${date}` : 'Connecté'),
    statusConnectedMany: ({ count }) => plural(count, '# compte connecté', '# comptes connectés'),
    statusRevoked: ({ date }) => `Déconnecté${date ? ` le ${date}` : ''} — reconnectez-le pour l’utiliser à nouveau`,
    rename: 'Renommer',
    renameLabel: ({ providerName, connectionName }) => `Renommer le compte ${providerName}${named(connectionName)}`,
    renameField: ({ providerName }) => `Nom de ce compte ${providerName}`,
    renameSave: 'Enregistrer',
    renameSaving: 'Enregistrement…',
    renameCancel: 'Annuler',
    renameEmpty: 'Saisissez un nom.',
    renameTooLong: 'Utilisez 100 caractères au maximum.',
    renameError: ({ error }) => `Impossible de renommer. ${reason(error, oops)}`,
    announceRenamed: ({ providerName, connectionName }) => `Compte ${providerName} renommé en «\u00a0${connectionName ?? ''}\u00a0».`,
    connectionName: ({ connection }) => connection?.label || connection?.name || connection?.description || connection?.id || '',
    connectionSince: ({ date }) => (date ? `Depuis le ${date}` : ''),
    errorFailed: ({ providerName, error }) => `${providerName} n’a pas été connecté. ${reason(error, errors.session_failed)}`,
    errorExpired: ({ providerName }) => `L’identification sur ${providerName} a expiré.`,
    errorArchived: ({ providerName }) => `L’identification sur ${providerName} a été fermée.`,
    errorConnect: ({ providerName, error }) => `Impossible de connecter ${providerName}. ${reason(error, oops)}`,
    errorDisconnect: ({ providerName, error }) => `Impossible de déconnecter ${providerName}. ${reason(error, oops)}`,
    popupBlocked: ({ providerName }) => `Votre navigateur a bloqué la fenêtre ${of(providerName)}.`,
    continueInNewTab: 'Continuer dans un nouvel onglet',
    announceConnected: ({ providerName }) => `${providerName} connecté.`,
    announceCancelled: ({ providerName }) => `Connexion à ${providerName} annulée.`,
    announceDisconnected: ({ providerName }) => `${providerName} déconnecté.`,
    loading: 'Chargement des connexions…',
    empty: 'Aucune intégration à afficher.',
    listError: ({ error }) => `Impossible de charger vos connexions. ${reason(error, oops)}`,
    listRetry: 'Réessayer',
    loadingCatalogue: 'Chargement des intégrations…',
    catalogueError: ({ error }) => `Impossible de charger les intégrations. ${reason(error, oops)}`,
    searchLabel: 'Rechercher une intégration',
    searchPlaceholder: 'Nom, description ou catégorie',
    searchResults: ({ count }) => (count === 0 ? 'Aucune intégration trouvée' : plural(count, '# intégration trouvée', '# intégrations trouvées')),
    noResults: 'Aucune intégration ne correspond à votre recherche.',
    categoriesLabel: 'Catégories',
    allCategories: 'Toutes',
    addAccount: 'Ajouter un autre compte',
    addAccountLabel: ({ providerName }) => `Ajouter un autre compte ${providerName}`,
    inAppBrowserRefused: ({ providerName }) => `${providerName} n’autorise pas la connexion depuis le navigateur de cette app. Ouvrez cette page dans votre navigateur pour connecter votre compte.`,
    openInBrowser: 'Ouvrir dans le navigateur',
    copyLink: 'Copier le lien',
    linkCopied: 'Lien copié. Collez-le dans la barre d’adresse de votre navigateur.',
    linkCopyFailed: 'Impossible de copier le lien. Utilisez le menu de l’app pour ouvrir cette page dans votre navigateur.',
    dialogTitle: ({ providerName }) => `Déconnecter ${providerName}\u202f?`,
    dialogDescription: ({ providerName, connectionName }) =>
      `Votre compte ${providerName}${named(connectionName)} ne sera plus disponible ici. Vous pourrez le reconnecter à tout moment.`,
    dialogCancel: 'Annuler',
    dialogConfirm: 'Déconnecter',
  },
  errors,
  popup: { connecting: ({ providerName }) => `Connexion à ${providerName}…` },
  link: {
    startTitle: ({ providerName }) => `Connecter ${providerName}`,
    startText: ({ providerName, appName }) => (appName ? `${appName} demande à connecter votre compte ${providerName}.` : `Connectez votre compte ${providerName}.`),
    startHint: ({ providerName }) => `Vous vous identifierez sur ${providerName} et choisirez ce que vous autorisez.`,
    startButton: ({ providerName }) => `Connecter ${providerName}`,
    connectedTitle: ({ providerName }) => `${providerName} est connecté`,
    connectedText: 'Vous pouvez fermer cet onglet.',
    failedTitle: ({ providerName }) => `${providerName} n’a pas été connecté`,
    failedText: 'L’accès a été refusé, ou la connexion n’a pas abouti. Vous pouvez réessayer tant que ce lien est valide.',
    failedButton: 'Réessayer',
    expiredTitle: 'Ce lien a expiré',
    expiredText: ({ providerName }) => `Demandez un nouveau lien pour connecter ${providerName}.`,
    usedTitle: 'Ce lien a déjà été utilisé',
    usedText: ({ providerName }) => `${providerName} a été connecté avec ce lien. Demandez-en un nouveau pour le connecter à nouveau.`,
    notFoundTitle: 'Lien introuvable',
    notFoundText: 'Ce lien n’existe pas ou a été retiré. Demandez-en un nouveau.',
    busyTitle: 'Trop de tentatives',
    busyText: 'Patientez une minute, puis rouvrez le lien.',
    errorTitle: 'Une erreur est survenue',
    errorText: 'La connexion n’a pas pu démarrer pour le moment. Réessayez dans un instant.',
    errorButton: 'Réessayer',
  },
}
