import type { ConnectError } from '../core/errors.js'
import type { Locale } from './locale.js'

// "Conectar", "Desconectar", "cuenta" and "integración", addressing the user as "tú"; questions
// open with "¿" and quotes are « ».

const errors: Locale['errors'] = {
  network: 'No se pudo acceder al servicio. Comprueba tu conexión y vuelve a intentarlo.',
  http: 'El servicio respondió con un error. Vuelve a intentarlo en unos instantes.',
  invalid_response: 'No se pudo leer la respuesta del servicio.',
  unsafe_url: 'La dirección de la página de inicio de sesión no era segura, así que no se abrió.',
  popup_blocked: 'Tu navegador bloqueó la ventana de inicio de sesión.',
  timeout: 'El inicio de sesión tardó demasiado. Vuelve a intentarlo.',
  aborted: 'Se canceló la conexión.',
  session_failed: 'No se concedió el acceso.',
  session_expired: 'El inicio de sesión caducó antes de completarse.',
  session_archived: 'El inicio de sesión se cerró antes de completarse.',
  invalid_options: 'Esta conexión no está bien configurada.',
}

const oops = 'Algo salió mal.'

// The error's own code picks the sentence: `error.message` is English.
const reason = (error: ConnectError | null, fallback: string): string => (error ? errors[error.code] : fallback)

let rules: Intl.PluralRules | undefined
let numbers: Intl.NumberFormat | undefined

/** `one` or every other form `Intl.PluralRules('es')` picks; `#` is the number. */
const plural = (n: number, one: string, other: string): string =>
  ((rules ??= new Intl.PluralRules('es')).select(n) === 'one' ? one : other).replace('#', (numbers ??= new Intl.NumberFormat('es')).format(n))

const named = (name: string | null): string => (name ? ` (${name})` : '')

export const es: Locale = {
  code: 'es',
  dir: 'ltr',
  button: {
    connect: ({ providerName }) => `Conectar ${providerName}`,
    creating: 'Conectando…',
    pending: ({ providerName }) => `Esperando a ${providerName}…`,
    blocked: ({ providerName }) => `Abrir ${providerName}`,
    completed: ({ providerName }) => `${providerName} conectado`,
    retry: ({ providerName }) => `Reintentar con ${providerName}`,
    opensInNewWindow: '(se abre en una ventana nueva)',
    cancel: 'Cancelar',
    popupBlocked: ({ providerName }) => `Tu navegador bloqueó la ventana de ${providerName}.`,
    continueInNewTab: 'Continuar en una pestaña nueva',
    expiredMessage: 'La sesión caducó antes de completarse.',
    archivedMessage: 'La sesión se cerró antes de completarse.',
    announceCreating: ({ providerName }) => `Conectando con ${providerName}…`,
    announcePending: ({ providerName }) => `Termina de conectar en la ventana de ${providerName}.`,
    announceRedirect: ({ providerName }) => `Redirigiendo a ${providerName}…`,
    announceCompleted: ({ providerName }) => `${providerName} conectado.`,
    announceFailed: ({ providerName, error }) => `No se conectó ${providerName}. ${reason(error, errors.session_failed)}`,
    announceExpired: ({ providerName }) => `La conexión con ${providerName} caducó. Vuelve a intentarlo.`,
    announceArchived: ({ providerName }) => `La conexión con ${providerName} se cerró. Vuelve a intentarlo.`,
    announceCancelled: ({ providerName }) => `Conexión con ${providerName} cancelada.`,
    announceError: ({ providerName, error }) => `No se pudo conectar ${providerName}. ${reason(error, oops)}`,
  },
  list: {
    connect: 'Conectar',
    connectLabel: ({ providerName }) => `Conectar ${providerName}`,
    reconnect: 'Volver a conectar',
    reconnectLabel: ({ providerName, connectionName }) => `Volver a conectar ${providerName}${named(connectionName)}`,
    retry: 'Reintentar',
    retryLabel: ({ providerName }) => `Reintentar la conexión con ${providerName}`,
    creating: 'Conectando…',
    pending: ({ providerName }) => `Esperando a ${providerName}…`,
    blocked: ({ providerName }) => `Abrir ${providerName}`,
    opensInNewWindow: '(se abre en una ventana nueva)',
    cancel: 'Cancelar',
    cancelLabel: ({ providerName }) => `Cancelar la conexión con ${providerName}`,
    disconnect: 'Desconectar',
    disconnectLabel: ({ providerName, connectionName }) => `Desconectar ${providerName}${named(connectionName)}`,
    statusDisconnected: 'No conectado',
    statusAvailable: 'Disponible, sin iniciar sesión',
    statusCreating: ({ providerName }) => `Conectando con ${providerName}…`,
    statusPending: ({ providerName }) => `Termina de conectar en la ventana de ${providerName}.`,
    statusConnected: ({ date }) => (date ? `Conectado desde el ${date}` : 'Conectado'),
    statusConnectedMany: ({ count }) => plural(count, '# cuenta conectada', '# cuentas conectadas'),
    statusRevoked: ({ date }) => `Cuenta desconectada${date ? ` el ${date}` : ''}: vuelve a conectarla para usarla de nuevo`,
    rename: 'Cambiar nombre',
    renameLabel: ({ providerName, connectionName }) => `Cambiar nombre de la cuenta de ${providerName}${named(connectionName)}`,
    renameField: ({ providerName }) => `Nombre de esta cuenta de ${providerName}`,
    renameSave: 'Guardar',
    renameSaving: 'Guardando…',
    renameCancel: 'Cancelar',
    renameEmpty: 'Escribe un nombre.',
    renameTooLong: 'Usa 100 caracteres como máximo.',
    renameError: ({ error }) => `No se pudo cambiar el nombre. ${reason(error, oops)}`,
    announceRenamed: ({ providerName, connectionName }) => `Cuenta de ${providerName} renombrada como «${connectionName ?? ''}».`,
    connectionName: ({ connection }) => connection?.label || connection?.name || connection?.description || connection?.id || '',
    connectionSince: ({ date }) => (date ? `Desde el ${date}` : ''),
    errorFailed: ({ providerName, error }) => `No se conectó ${providerName}. ${reason(error, errors.session_failed)}`,
    errorExpired: ({ providerName }) => `El inicio de sesión en ${providerName} caducó.`,
    errorArchived: ({ providerName }) => `El inicio de sesión en ${providerName} se cerró.`,
    errorConnect: ({ providerName, error }) => `No se pudo conectar ${providerName}. ${reason(error, oops)}`,
    errorDisconnect: ({ providerName, error }) => `No se pudo desconectar ${providerName}. ${reason(error, oops)}`,
    popupBlocked: ({ providerName }) => `Tu navegador bloqueó la ventana de ${providerName}.`,
    continueInNewTab: 'Continuar en una pestaña nueva',
    announceConnected: ({ providerName }) => `${providerName} conectado.`,
    announceCancelled: ({ providerName }) => `Conexión con ${providerName} cancelada.`,
    announceDisconnected: ({ providerName }) => `${providerName} desconectado.`,
    loading: 'Cargando conexiones…',
    empty: 'No hay integraciones para mostrar.',
    listError: ({ error }) => `No se pudieron cargar tus conexiones. ${reason(error, oops)}`,
    listRetry: 'Reintentar',
    loadingCatalogue: 'Cargando integraciones…',
    catalogueError: ({ error }) => `No se pudieron cargar las integraciones. ${reason(error, oops)}`,
    searchLabel: 'Buscar integraciones',
    searchPlaceholder: 'Nombre, descripción o categoría',
    searchResults: ({ count }) => (count === 0 ? 'No se encontraron integraciones' : plural(count, '# integración encontrada', '# integraciones encontradas')),
    noResults: 'Ninguna integración coincide con tu búsqueda.',
    categoriesLabel: 'Categorías',
    allCategories: 'Todas',
    addAccount: 'Añadir otra cuenta',
    addAccountLabel: ({ providerName }) => `Añadir otra cuenta de ${providerName}`,
    dialogTitle: ({ providerName }) => `¿Desconectar ${providerName}?`,
    dialogDescription: ({ providerName, connectionName }) =>
      `Tu cuenta de ${providerName}${named(connectionName)} ya no estará disponible aquí. Puedes volver a conectarla cuando quieras.`,
    dialogCancel: 'Cancelar',
    dialogConfirm: 'Desconectar',
  },
  errors,
  popup: { connecting: ({ providerName }) => `Conectando con ${providerName}…` },
  link: {
    startTitle: ({ providerName }) => `Conectar ${providerName}`,
    startText: ({ providerName, appName }) => (appName ? `${appName} solicita conectar tu cuenta de ${providerName}.` : `Conecta tu cuenta de ${providerName}.`),
    startHint: ({ providerName }) => `Iniciarás sesión en ${providerName} y elegirás qué permitir.`,
    startButton: ({ providerName }) => `Conectar ${providerName}`,
    connectedTitle: ({ providerName }) => `${providerName} está conectado`,
    connectedText: 'Ya puedes cerrar esta pestaña.',
    failedTitle: ({ providerName }) => `No se conectó ${providerName}`,
    failedText: 'Se denegó el acceso o la conexión no terminó. Puedes volver a intentarlo mientras este enlace sea válido.',
    failedButton: 'Reintentar',
    expiredTitle: 'Este enlace caducó',
    expiredText: ({ providerName }) => `Pide un enlace nuevo para conectar ${providerName}.`,
    usedTitle: 'Este enlace ya se usó',
    usedText: ({ providerName }) => `${providerName} ya se conectó con él. Pide un enlace nuevo para volver a conectarlo.`,
    notFoundTitle: 'No se encontró el enlace',
    notFoundText: 'Este enlace no existe o se retiró. Pide uno nuevo.',
    busyTitle: 'Demasiados intentos',
    busyText: 'Espera un minuto y vuelve a abrir el enlace.',
    errorTitle: 'Algo salió mal',
    errorText: 'No se pudo iniciar la conexión en este momento. Vuelve a intentarlo en unos instantes.',
    errorButton: 'Reintentar',
  },
}
