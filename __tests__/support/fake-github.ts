import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readRequest } from '../../test-kit/request-body.ts'

/**
 * A stand-in for the part of GitHub's REST API that the audit's tracking issue uses, on 127.0.0.1:
 * listing a repository's issues (by state and label), creating and editing one, and commenting. The
 * action finds it through GITHUB_API_URL, as on GitHub Enterprise Server.
 */

export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason: string | null
  labels: string[]
  comments: string[]
  /** An open pull request is listed among the issues, as GitHub lists them. */
  pull_request?: boolean
}

/** A comment on an issue or pull request, as the issue-comments API keeps it. */
export interface FakeComment {
  id: number
  issue: number
  body: string
  /** Its author's login. */
  user: string
}

/** The login GitHub gives the job's token (GITHUB_TOKEN), which GET /user refuses. */
export const JOB_TOKEN_LOGIN = 'github-actions[bot]'

/** GitHub's limit for a comment's body, in characters; a longer one is refused with HTTP 422. */
export const COMMENT_LIMIT = 65_536

export interface GitHubRequest {
  method: string
  path: string
  query: string
  body: unknown
}

export class FakeGitHub {
  readonly issues: FakeIssue[] = []
  readonly requests: GitHubRequest[] = []
  /** Answer the next this many requests with HTTP 500. */
  failNext = 0
  /** Create issues without their labels, as GitHub does when the token may not set them. */
  dropLabels = false
  /** Issues a listing page holds at most (GitHub's per_page, capped at 100), with a `Link` to the next. */
  pageSize = 100
  /** The `Link` header of the first listing page, in place of GitHub's own (a hostile or rewritten answer). */
  firstPageLink: string | undefined
  /** Authorization headers received, in order. */
  readonly authorizations: string[] = []
  /** Every comment, on any issue or pull request, oldest first. */
  readonly comments: FakeComment[] = []
  /** Comments a listing page holds at most (GitHub's per_page, capped at 100), with a `Link` to the next. */
  commentPageSize = 100
  /** The `Link` header of the first page of comments, in place of our own (a hostile or rewritten answer). */
  firstCommentPageLink: string | undefined
  /**
   * The token's own login, which GET /user answers, as for a personal token; undefined for the job
   * token, which GitHub answers 403 there and whose comments are github-actions[bot]'s.
   */
  personalLogin: string | undefined
  /** Refuse the next this many comment writes with HTTP 422, whatever their length. */
  refuseNextComment = 0
  private server?: Server
  readonly token: string
  readonly repository: string

  constructor(token: string, repository = 'acme/certificates') {
    this.token = token
    this.repository = repository
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.handle(request, response)
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    return this
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => {
      this.server?.close(() => {
        resolve()
      })
    })
  }

  reset(): void {
    this.issues.length = 0
    this.requests.length = 0
    this.failNext = 0
    this.dropLabels = false
    this.pageSize = 100
    this.firstPageLink = undefined
    this.authorizations.length = 0
    this.comments.length = 0
    this.commentPageSize = 100
    this.firstCommentPageLink = undefined
    this.personalLogin = undefined
    this.refuseNextComment = 0
  }

  /** The login the token writes comments as. */
  get login(): string {
    return this.personalLogin ?? JOB_TOKEN_LOGIN
  }

  /** A comment already on issue or pull request `issue`, by `user` (by default the token's own identity). */
  addComment(issue: number, body: string, user = this.login): FakeComment {
    const comment = { id: 1000 + this.comments.length, issue, body, user }
    this.comments.push(comment)
    return comment
  }

  /** An issue already in the repository. */
  add(issue: Partial<FakeIssue> & Pick<FakeIssue, 'title' | 'body'>): FakeIssue {
    const added: FakeIssue = {
      number: this.issues.length + 1,
      state: 'open',
      state_reason: null,
      labels: [],
      comments: [],
      ...issue,
    }
    this.issues.push(added)
    return added
  }

  /** The requests that changed something: every method but GET. */
  get writes(): GitHubRequest[] {
    return this.requests.filter((r) => r.method !== 'GET')
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { body: text, url, method } = await readRequest(request)
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    this.requests.push({ method, path: url.pathname, query: url.search, body })
    this.authorizations.push(request.headers.authorization ?? '')
    const [status, payload, link] = this.route(method, url, body, request.headers.authorization ?? '')
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...(link ? { link } : {}) })
    response.end(JSON.stringify(payload))
  }

  private route(
    method: string,
    url: URL,
    body: Record<string, unknown>,
    authorization: string,
  ): [number, unknown, (string | undefined)?] {
    if (this.failNext > 0) {
      this.failNext--
      return [500, { message: 'Server Error' }]
    }
    if (!new RegExp(`^(token|bearer) ${this.token}$`, 'i').test(authorization)) {
      return [401, { message: 'Bad credentials' }]
    }
    if (method === 'GET' && url.pathname === '/user') {
      return this.personalLogin === undefined
        ? [403, { message: 'Resource not accessible by integration', status: '403' }]
        : [200, { login: this.personalLogin, type: 'User' }]
    }
    const base = `/repos/${this.repository}/issues`
    if (!url.pathname.startsWith(base)) return [404, { message: 'Not Found' }]
    const commented = this.commentRoute(method, url, body, url.pathname.slice(base.length))
    if (commented) return commented
    const number = Number(/^\/(\d+)(?:\/comments)?$/.exec(url.pathname.slice(base.length))?.[1])
    const issue = this.issues.find((i) => i.number === number)
    const route = url.pathname === base ? 'issues' : url.pathname.endsWith('/comments') ? 'comments' : 'issue'
    const text = (value: unknown): string => (typeof value === 'string' ? value : '')
    switch (`${method} ${route}`) {
      case 'GET issues': {
        const state = url.searchParams.get('state') ?? 'open'
        const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean)
        const listed = this.issues.filter(
          (i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l)),
        )
        const size = Math.min(this.pageSize, Number(url.searchParams.get('per_page') ?? 30))
        const page = Number(url.searchParams.get('page') ?? 1)
        const next = new URL(url.pathname + url.search, this.url)
        next.searchParams.set('page', String(page + 1))
        const more = listed.length > page * size
        const link =
          page === 1 && this.firstPageLink !== undefined
            ? this.firstPageLink
            : more
              ? `<${next.href}>; rel="next"`
              : undefined
        return [200, listed.slice((page - 1) * size, page * size).map(view), link]
      }
      case 'POST issues': {
        const labels = Array.isArray(body.labels) ? body.labels.map(text) : []
        const created = this.add({
          title: text(body.title),
          body: text(body.body),
          labels: this.dropLabels ? [] : labels,
        })
        return [201, view(created)]
      }
      case 'PATCH issue':
        if (!issue) return [404, { message: 'Not Found' }]
        if (typeof body.title === 'string') issue.title = body.title
        if (typeof body.body === 'string') issue.body = body.body
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state
        if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason
        return [200, view(issue)]
      case 'POST comments': {
        if (!issue) return [404, { message: 'Not Found' }]
        const refused = this.refuseComment(body)
        if (refused) return refused
        issue.comments.push(text(body.body))
        const comment = this.addComment(issue.number, text(body.body))
        return [201, commentView(comment)]
      }
      default:
        return [404, { message: 'Not Found' }]
    }
  }

  /** Listing a pull request's comments (paged, with `Link`), and editing one; undefined for other routes. */
  private commentRoute(
    method: string,
    url: URL,
    body: Record<string, unknown>,
    rest: string,
  ): [number, unknown, (string | undefined)?] | undefined {
    const edited = /^\/comments\/(\d+)$/.exec(rest)
    if (edited && method === 'PATCH') {
      const comment = this.comments.find((c) => c.id === Number(edited[1]))
      if (!comment) return [404, { message: 'Not Found' }]
      const refused = this.refuseComment(body)
      if (refused) return refused
      if (typeof body.body === 'string') comment.body = body.body
      return [200, commentView(comment)]
    }
    const listed = /^\/(\d+)\/comments$/.exec(rest)
    if (!listed || method !== 'GET') return undefined
    const all = this.comments.filter((c) => c.issue === Number(listed[1]))
    const size = Math.min(this.commentPageSize, Number(url.searchParams.get('per_page') ?? 30))
    const page = Number(url.searchParams.get('page') ?? 1)
    const next = new URL(url.pathname + url.search, this.url)
    next.searchParams.set('page', String(page + 1))
    const link =
      page === 1 && this.firstCommentPageLink !== undefined
        ? this.firstCommentPageLink
        : all.length > page * size
          ? `<${next.href}>; rel="next"`
          : undefined
    return [200, all.slice((page - 1) * size, page * size).map(commentView), link]
  }

  /** GitHub's 422 for a body over its limit (counted in characters), or one asked for. */
  private refuseComment(body: Record<string, unknown>): [number, unknown] | undefined {
    const text = typeof body.body === 'string' ? body.body : ''
    if (this.refuseNextComment > 0) this.refuseNextComment--
    // GitHub counts characters: code points, as Array.from does.
    else if (Array.from(text).length <= COMMENT_LIMIT) return undefined
    return [
      422,
      {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: 'body is too long (maximum is 65536 characters)',
          },
        ],
      },
    ]
  }
}

/** A comment as GitHub's API gives it: its author as a user object. */
function commentView(comment: FakeComment): Record<string, unknown> {
  return {
    id: comment.id,
    body: comment.body,
    user: { login: comment.user, type: comment.user.endsWith('[bot]') ? 'Bot' : 'User' },
  }
}

function view(issue: FakeIssue): Record<string, unknown> {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason,
    labels: issue.labels.map((name) => ({ name })),
    ...(issue.pull_request ? { pull_request: { url: 'https://example.invalid/pull' } } : {}),
  }
}
