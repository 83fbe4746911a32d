import { ServerSentEventParser } from './sse';

describe('ServerSentEventParser', () => {
  it('splits events across chunks, skips comments and joins data lines', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('event: hello\ndata: {"type":')).toEqual([]);
    expect(
      parser.push(
        '"hello"}\n\n: keep-alive\n\nevent: changed\r\ndata: a\r\ndata: b\r\n\r\n',
      ),
    ).toEqual([
      { event: 'hello', data: '{"type":"hello"}' },
      { event: 'changed', data: 'a\nb' },
    ]);
    expect(parser.push('data: x')).toEqual([]);
    expect(parser.push('\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });
});
