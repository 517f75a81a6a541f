// A small browser stand-in over real HTTP for the customer area's non-browser tests: a cookie jar,
// form posts with the page's CSRF token, and redirects left to the test to follow.
import { request } from 'undici'

export interface PortalResponse {
  status: number
  location: string | undefined
  setCookies: string[]
  text: string
}

export const portalClient = (base: string, opts: { acceptLanguage?: string } = {}) => {
  const jar = new Map<string, string>()
  let csrf = ''

  const send = async (
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<PortalResponse> => {
    const res = await request(`${base}${path}`, {
      method,
      headers: {
        ...(jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(opts.acceptLanguage ? { 'accept-language': opts.acceptLanguage } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    })
    const raw = res.headers['set-cookie']
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
    for (const c of setCookies) {
      const [pair] = c.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const value = pair!.slice(eq + 1)
      if (/Max-Age=0/i.test(c)) jar.delete(name)
      else jar.set(name, value)
    }
    const text = await res.body.text()
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1]
    if (token) csrf = token
    const location = res.headers.location
    return { status: res.statusCode, location: typeof location === 'string' ? location : undefined, setCookies, text }
  }

  return {
    get: (path: string, headers?: Record<string, string>) => send('GET', path, undefined, headers),
    /** Posts a form with this session's CSRF token (read from the last page), unless `_csrf` is given. */
    post: (path: string, form: Record<string, string>, headers?: Record<string, string>) =>
      send('POST', path, { _csrf: csrf, ...form }, headers),
    /** Follows a redirect answer with a GET. */
    follow: async (res: PortalResponse) => {
      if (!res.location) throw new Error(`not a redirect: ${res.status}`)
      return send('GET', res.location.replace(base, ''))
    },
    cookie: (name: string) => jar.get(name),
    setCookie: (name: string, value: string) => jar.set(name, value),
    get csrf() {
      return csrf
    },
  }
}

export type PortalClient = ReturnType<typeof portalClient>

/** The text of a field's error message (the paragraph tied to it), or undefined. */
export const fieldError = (html: string, field: string) => new RegExp(`<p class="error" id="f-${field}-error">([^<]*)</p>`).exec(html)?.[1]
