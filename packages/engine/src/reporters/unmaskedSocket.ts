/**
 * The engine's WebSocket transport: engine.io's Node transport with a zero masking key, so `ws`
 * writes each frame as it is instead of XOR-ing a copy of every byte (and the API skips the
 * unmasking). Masking protects HTTP proxies from scripts in a browser (RFC 6455 §10.3); the engine
 * is a server-side process talking to its own API, and masking was a tenth of its CPU at high
 * event rates.
 */
import { NodeWebSocket } from 'engine.io-client';

export class UnmaskedWebSocket extends NodeWebSocket {
  override createSocket(
    uri: string,
    protocols: string | string[] | undefined,
    opts: Record<string, unknown>,
  ): unknown {
    return super.createSocket(uri, protocols, { ...opts, generateMask: (mask: Buffer) => mask.fill(0) });
  }
}
