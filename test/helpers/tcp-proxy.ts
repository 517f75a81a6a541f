import { createConnection, createServer, type Server, type Socket } from 'node:net'

/**
 * A loopback TCP proxy that can go down for real: `down()` closes the listener and cuts every open
 * connection, so callers get ECONNREFUSED (not an HTTP error); `up()` listens on the same port again.
 */
export const startTcpProxy = async (t: { teardown(fn: () => unknown): void }) => {
  let targetPort = 0
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = createConnection({ host: '127.0.0.1', port: targetPort })
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('close', () => sockets.delete(s))
          s.on('error', () => s.destroy())
        }
        client.pipe(upstream).pipe(client)
      })
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port
        resolve()
      })
    })
  const down = async () => {
    for (const s of sockets) s.destroy()
    if (server) await new Promise((r) => server!.close(r))
    server = undefined
  }
  await listen()
  t.teardown(down)
  return {
    url: () => `http://127.0.0.1:${port}`,
    forwardTo: (p: number) => {
      targetPort = p
    },
    down,
    up: listen,
  }
}
