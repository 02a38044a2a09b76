import type { ConnectError } from '../core/errors.js'
import type { Locale } from './locale.js'

// "Conectar", "Desconectar", "conta" and "integração", addressing the user as "você"; signing in
// is "autenticação" (rather than the loanword "login"), and quotes are “ ”.

const errors: Locale['errors'] = {
  network: 'Não foi possível acessar o serviço. Verifique sua conexão e tente novamente.',
  http: 'O serviço respondeu com um erro. Tente novamente em instantes.',
  invalid_response: 'Não foi possível ler a resposta do serviço.',
  unsafe_url: 'O endereço da página de autenticação não era seguro, por isso não foi aberto.',
  popup_blocked: 'Seu navegador bloqueou a janela de autenticação.',
  timeout: 'A autenticação demorou demais. Tente novamente.',
  aborted: 'A conexão foi cancelada.',
  session_failed: 'O acesso não foi concedido.',
  session_expired: 'A autenticação expirou antes de ser concluída.',
  session_archived: 'A autenticação foi encerrada antes de ser concluída.',
  invalid_options: 'Esta conexão não está configurada corretamente.',
}

const oops = 'Algo deu errado.'

// The error's own code picks the sentence: `error.message` is English.
const reason = (error: ConnectError | null, fallback: string): string => (error ? errors[error.code] : fallback)

let rules: Intl.PluralRules | undefined
let numbers: Intl.NumberFormat | undefined

/** `one` or every other form `Intl.PluralRules('pt-BR')` picks; `#` is the number. */
const plural = (n: number, one: string, other: string): string =>
  ((rules ??= new Intl.PluralRules('pt-BR')).select(n) === 'one' ? one : other).replace('#', (numbers ??= new Intl.NumberFormat('pt-BR')).format(n))

const named = (name: string | null): string => (name ? ` (${name})` : '')

export const ptBR: Locale = {
  code: 'pt-BR',
  dir: 'ltr',
  button: {
    connect: ({ providerName }) => `Conectar ${providerName}`,
    creating: 'Conectando…',
    pending: ({ providerName }) => `Aguardando ${providerName}…`,
    blocked: ({ providerName }) => `Abrir ${providerName}`,
    completed: ({ providerName }) => `${providerName} conectado`,
    retry: ({ providerName }) => `Tentar novamente com ${providerName}`,
    opensInNewWindow: '(abre em uma nova janela)',
    cancel: 'Cancelar',
    popupBlocked: ({ providerName }) => `Seu navegador bloqueou a janela de ${providerName}.`,
    continueInNewTab: 'Continuar em uma nova aba',
    expiredMessage: 'A sessão expirou antes de ser concluída.',
    archivedMessage: 'A sessão foi encerrada antes de ser concluída.',
    announceCreating: ({ providerName }) => `Conectando com ${providerName}…`,
    announcePending: ({ providerName }) => `Conclua a conexão na janela de ${providerName}.`,
    announceRedirect: ({ providerName }) => `Redirecionando para ${providerName}…`,
    announceCompleted: ({ providerName }) => `${providerName} conectado.`,
    announceFailed: ({ providerName, error }) => `${providerName} não foi conectado. ${reason(error, errors.session_failed)}`,
    announceExpired: ({ providerName }) => `A conexão com ${providerName} expirou. Tente novamente.`,
    announceArchived: ({ providerName }) => `A conexão com ${providerName} foi encerrada. Tente novamente.`,
    announceCancelled: ({ providerName }) => `Conexão com ${providerName} cancelada.`,
    announceError: ({ providerName, error }) => `Não foi possível conectar ${providerName}. ${reason(error, oops)}`,
  },
  list: {
    connect: 'Conectar',
    connectLabel: ({ providerName }) => `Conectar ${providerName}`,
    reconnect: 'Reconectar',
    reconnectLabel: ({ providerName, connectionName }) => `Reconectar ${providerName}${named(connectionName)}`,
    retry: 'Tentar novamente',
    retryLabel: ({ providerName }) => `Tentar novamente a conexão com ${providerName}`,
    creating: 'Conectando…',
    pending: ({ providerName }) => `Aguardando ${providerName}…`,
    blocked: ({ providerName }) => `Abrir ${providerName}`,
    opensInNewWindow: '(abre em uma nova janela)',
    cancel: 'Cancelar',
    cancelLabel: ({ providerName }) => `Cancelar a conexão com ${providerName}`,
    disconnect: 'Desconectar',
    disconnectLabel: ({ providerName, connectionName }) => `Desconectar ${providerName}${named(connectionName)}`,
    statusDisconnected: 'Não conectado',
    statusAvailable: 'Disponível, sem autenticação',
    statusCreating: ({ providerName }) => `Conectando com ${providerName}…`,
    statusPending: ({ providerName }) => `Conclua a conexão na janela de ${providerName}.`,
    statusConnected: ({ date }) => (date ? `Conectado desde ${date}` : 'Conectado'),
    statusConnectedMany: ({ count }) => plural(count, '# conta conectada', '# contas conectadas'),
    statusRevoked: ({ date }) => `Conta desconectada${date ? ` em ${date}` : ''}: reconecte para usá-la novamente`,
    rename: 'Renomear',
    renameLabel: ({ providerName, connectionName }) => `Renomear conta de ${providerName}${named(connectionName)}`,
    renameField: ({ providerName }) => `Nome desta conta de ${providerName}`,
    renameSave: 'Salvar',
    renameSaving: 'Salvando…',
    renameCancel: 'Cancelar',
    renameEmpty: 'Digite um nome.',
    renameTooLong: 'Use no máximo 100 caracteres.',
    renameError: ({ error }) => `Não foi possível renomear. ${reason(error, oops)}`,
    announceRenamed: ({ providerName, connectionName }) => `Conta de ${providerName} renomeada para “${connectionName ?? ''}”.`,
    connectionName: ({ connection }) => connection?.label || connection?.name || connection?.description || connection?.id || '',
    connectionSince: ({ date }) => (date ? `Desde ${date}` : ''),
    errorFailed: ({ providerName, error }) => `${providerName} não foi conectado. ${reason(error, errors.session_failed)}`,
    errorExpired: ({ providerName }) => `A autenticação em ${providerName} expirou.`,
    errorArchived: ({ providerName }) => `A autenticação em ${providerName} foi encerrada.`,
    errorConnect: ({ providerName, error }) => `Não foi possível conectar ${providerName}. ${reason(error, oops)}`,
    errorDisconnect: ({ providerName, error }) => `Não foi possível desconectar ${providerName}. ${reason(error, oops)}`,
    popupBlocked: ({ providerName }) => `Seu navegador bloqueou a janela de ${providerName}.`,
    continueInNewTab: 'Continuar em uma nova aba',
    announceConnected: ({ providerName }) => `${providerName} conectado.`,
    announceCancelled: ({ providerName }) => `Conexão com ${providerName} cancelada.`,
    announceDisconnected: ({ providerName }) => `${providerName} desconectado.`,
    loading: 'Carregando conexões…',
    empty: 'Nenhuma integração para mostrar.',
    listError: ({ error }) => `Não foi possível carregar suas conexões. ${reason(error, oops)}`,
    listRetry: 'Tentar novamente',
    loadingCatalogue: 'Carregando integrações…',
    catalogueError: ({ error }) => `Não foi possível carregar as integrações. ${reason(error, oops)}`,
    searchLabel: 'Pesquisar integrações',
    searchPlaceholder: 'Nome, descrição ou categoria',
    searchResults: ({ count }) => (count === 0 ? 'Nenhuma integração encontrada' : plural(count, '# integração encontrada', '# integrações encontradas')),
    noResults: 'Nenhuma integração corresponde à sua pesquisa.',
    categoriesLabel: 'Categorias',
    allCategories: 'Todas',
    addAccount: 'Adicionar outra conta',
    addAccountLabel: ({ providerName }) => `Adicionar outra conta de ${providerName}`,
    dialogTitle: ({ providerName }) => `Desconectar ${providerName}?`,
    dialogDescription: ({ providerName, connectionName }) =>
      `Sua conta de ${providerName}${named(connectionName)} não estará mais disponível aqui. Você pode conectá-la novamente a qualquer momento.`,
    dialogCancel: 'Cancelar',
    dialogConfirm: 'Desconectar',
  },
  errors,
  popup: { connecting: ({ providerName }) => `Conectando com ${providerName}…` },
  link: {
    startTitle: ({ providerName }) => `Conectar ${providerName}`,
    startText: ({ providerName, appName }) => (appName ? `${appName} pede para conectar sua conta de ${providerName}.` : `Conecte sua conta de ${providerName}.`),
    startHint: ({ providerName }) => `Você vai se autenticar em ${providerName} e escolher o que permitir.`,
    startButton: ({ providerName }) => `Conectar ${providerName}`,
    connectedTitle: ({ providerName }) => `${providerName} está conectado`,
    connectedText: 'Você já pode fechar esta aba.',
    failedTitle: ({ providerName }) => `${providerName} não foi conectado`,
    failedText: 'O acesso foi negado ou a conexão não foi concluída. Você pode tentar novamente enquanto este link for válido.',
    failedButton: 'Tentar novamente',
    expiredTitle: 'Este link expirou',
    expiredText: ({ providerName }) => `Peça um novo link para conectar ${providerName}.`,
    usedTitle: 'Este link já foi usado',
    usedText: ({ providerName }) => `${providerName} foi conectado com ele. Peça um novo link para conectar novamente.`,
    notFoundTitle: 'Link não encontrado',
    notFoundText: 'Este link não existe ou foi retirado. Peça um novo.',
    busyTitle: 'Muitas tentativas',
    busyText: 'Aguarde um minuto e abra o link novamente.',
    errorTitle: 'Algo deu errado',
    errorText: 'Não foi possível iniciar a conexão agora. Tente novamente em instantes.',
    errorButton: 'Tentar novamente',
  },
}
