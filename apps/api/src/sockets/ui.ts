/**
 * socket.io namespace `/ui` (browsers): `subscribe` to the run list (`runs`) or one run
 * (`run:<id>`), receive coalesced `delta` batches, and `catchUp(cursor)` after a reconnect.
 */
import type { Namespace, Server } from 'socket.io';
import { z } from 'zod';
import type { UiClientToServer, UiServerToClient } from '@flowlight/schema';
import { RUNS_ROOM, runRoom, type DeltaHub } from '../live/deltaHub.js';

const uiRoomSchema = z.discriminatedUnion('room', [
  z.object({ room: z.literal('runs') }),
  z.object({ room: z.literal('run'), flowRunId: z.string().min(1).max(128) }),
]);

export type UiNamespace = Namespace<UiClientToServer, UiServerToClient>;

export function attachUiNamespace(io: Server): UiNamespace {
  return io.of('/ui');
}

/** Wires the browser events; the hub must exist first, and it emits through `nsp`. */
export function handleUiConnections(nsp: UiNamespace, hub: DeltaHub): void {
  nsp.on('connection', (socket) => {
    const roomOf = (v: unknown): string | null => {
      const r = uiRoomSchema.safeParse(v);
      if (!r.success) return null;
      return r.data.room === 'runs' ? RUNS_ROOM : runRoom(r.data.flowRunId);
    };
    socket.on('subscribe', (room: unknown) => {
      const name = roomOf(room);
      if (name && socket.rooms.size < 200) void socket.join(name);
    });
    socket.on('unsubscribe', (room: unknown) => {
      const name = roomOf(room);
      if (name) void socket.leave(name);
    });
    socket.on('catchUp', (cursor: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const rooms = new Set([...socket.rooms].filter((r) => r !== socket.id));
      (ack as (r: unknown) => void)(hub.catchUp(rooms, typeof cursor === 'number' ? cursor : NaN));
    });
  });
}
