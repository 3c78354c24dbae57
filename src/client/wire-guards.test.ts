import { describe, expect, it } from 'vitest';
import {
  MalformedReply,
  eventFromWire,
  expectReply,
  isAutopilotView,
  isStatusCounts,
  isTaskList,
  parseServerMessage,
} from './wire-guards.js';

describe('isStatusCounts', () => {
  it('accepts a status reply`s counts and refuses counts without a number', () => {
    expect(isStatusCounts({ byStatus: [{ key: 'pending', count: 2 }], ready: 1 })).toBe(true);
    expect(isStatusCounts({ byStatus: [] })).toBe(true);
    expect(isStatusCounts({ byStatus: [{ key: 'pending', count: '2' }] })).toBe(false);
    expect(isStatusCounts({})).toBe(false);
  });
});

describe('parseServerMessage', () => {
  it('accepts the protocol’s messages with their fields', () => {
    expect(parseServerMessage('{"type":"welcome","seq":3,"serverTime":"","clientId":"c"}')).toMatchObject({
      type: 'welcome',
      seq: 3,
    });
    expect(
      parseServerMessage(
        '{"type":"event","seq":4,"eventType":"task.created","entityType":"task","entityId":"t1","projectId":"p","data":{}}',
      ),
    ).toMatchObject({ seq: 4 });
    expect(
      parseServerMessage('{"type":"ack","id":"x","ok":false,"error":{"code":"c","message":"m"}}'),
    ).not.toBeNull();
    expect(parseServerMessage('{"type":"output","sessionId":"s","data":"hi"}')).toMatchObject({
      type: 'output',
    });
  });

  it('drops frames that are not JSON objects or lack their fields', () => {
    for (const raw of [
      'not json',
      '[]',
      '{"seq":1}',
      '{"type":"welcome"}',
      '{"type":"event","seq":"4","eventType":"x","entityType":"t","entityId":"1","data":{}}',
      '{"type":"event","seq":4,"eventType":"x","entityType":"t","entityId":"1","data":[]}',
      '{"type":"ack","ok":true}',
      '{"type":"ack","id":"x","ok":false,"error":"boom"}',
      '{"type":"resync","seq":null}',
    ])
      expect(parseServerMessage(raw), raw).toBeNull();
  });
});

describe('replies and gRPC events', () => {
  it('expectReply passes a good reply and throws on a malformed one', () => {
    const good = {
      tasks: [
        {
          id: 't',
          projectId: 'p',
          title: 'x',
          status: 'pending',
          priority: 'low',
          version: 1,
          dependsOn: [],
        },
      ],
    };
    expect(expectReply('task.list', good, isTaskList)).toBe(good);
    expect(() => expectReply('task.list', { tasks: [{ id: 't' }] }, isTaskList)).toThrow(MalformedReply);
  });

  it('eventFromWire parses dataJson and refuses data that is not an object', () => {
    const wire = { seq: 1, type: 'x', entityType: 'task', entityId: 't', projectId: 'p', createdAt: '' };
    expect(eventFromWire({ ...wire, dataJson: '{"a":1}' })?.data).toEqual({ a: 1 });
    expect(eventFromWire({ ...wire, dataJson: '' })?.data).toEqual({});
    expect(eventFromWire({ ...wire, dataJson: '[1]' })).toBeNull();
    expect(eventFromWire({ ...wire, dataJson: '{' })).toBeNull();
  });
});

describe('isAutopilotView', () => {
  it('accepts an autopilot with its state, cap and budget, and nothing less', () => {
    const view = {
      projectId: 'p_1',
      enabled: true,
      maxWorkers: 4,
      budget: { usd: 0, tokens: 0, minutes: 0 },
      reason: '',
      updatedAt: '2026-12-03T10:00:00.000Z',
    };
    expect(isAutopilotView(view)).toBe(true);
    expect(isAutopilotView({ ...view, updatedAt: undefined })).toBe(false);
    expect(isAutopilotView({ ...view, enabled: 'yes' })).toBe(false);
    expect(isAutopilotView({ ...view, maxWorkers: '4' })).toBe(false);
    expect(isAutopilotView({ ...view, budget: null })).toBe(false);
    expect(isAutopilotView(undefined)).toBe(false);
  });
});
