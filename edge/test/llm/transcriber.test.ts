import { describe, expect, it } from 'vitest';
import { WHISPER_MODEL, workersAiTranscriber } from '../../src/analysis/transcriber';

const audio = new Uint8Array([0x49, 0x44, 0x33, 0x04, 0x00, 0xff]);

describe('Workers AI transcriber', () => {
  it('downloads the recording and sends Whisper v3 turbo base64 audio', async () => {
    const sent: Record<string, unknown>[] = [];
    const transcriber = workersAiTranscriber(
      {
        async run(model, inputs) {
          expect(model).toBe(WHISPER_MODEL);
          sent.push(inputs);
          return { text: ' I need my furnace looked at. ', word_count: 6 };
        },
      },
      async () => new Response(audio, { headers: { 'content-length': String(audio.length) } }),
    );
    expect(await transcriber.transcribe('https://recordings.example/1.mp3')).toBe('I need my furnace looked at.');
    expect(sent[0]?.audio).toBe(Buffer.from(audio).toString('base64'));
  });

  it('refuses recordings over the size limit without loading them, and failed downloads', async () => {
    const binding = { run: async () => ({ text: 'x' }) };
    const big = workersAiTranscriber(
      binding,
      async () => new Response('x', { headers: { 'content-length': '999999999' } }),
    );
    await expect(big.transcribe('https://r.example/big.mp3')).rejects.toThrow(/over the/);
    const gone = workersAiTranscriber(binding, async () => new Response('gone', { status: 404 }));
    await expect(gone.transcribe('https://r.example/404.mp3')).rejects.toThrow(/404/);
  });

  it('answers null for a recording with no speech', async () => {
    const silent = workersAiTranscriber({ run: async () => ({ text: '' }) }, async () => new Response(audio));
    expect(await silent.transcribe('https://r.example/silence.mp3')).toBeNull();
  });
});
