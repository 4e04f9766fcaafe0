// Speech-to-text for calls that arrive with a recording and no transcript. Workers AI Whisper
// is remote-only, so only the Worker has a transcriber; elsewhere the call is scored from its
// metadata and the analysis says so.
import { toBase64 } from '../auth/digest';
import type { WorkersAiBinding } from './llm-extractor';

export const WHISPER_MODEL = '@cf/openai/whisper-large-v3-turbo';
/** A Worker has 128 MB: a recording larger than this is not loaded into memory at all. */
export const MAX_RECORDING_BYTES = 25 * 1024 * 1024;

export interface Transcriber {
  readonly modelId: string;
  /** The transcript, or null when the recording holds no speech. Throws when it cannot be had. */
  transcribe(recordingUrl: string): Promise<string | null>;
}

export function workersAiTranscriber(
  binding: WorkersAiBinding,
  fetchAudio: typeof fetch = fetch,
  maxBytes = MAX_RECORDING_BYTES,
): Transcriber {
  return {
    modelId: WHISPER_MODEL,
    async transcribe(recordingUrl) {
      const res = await fetchAudio(recordingUrl, { signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`recording download failed with ${res.status}`);
      const declared = Number(res.headers.get('content-length') ?? 0);
      if (declared > maxBytes) throw new Error(`recording is ${declared} bytes, over the ${maxBytes}-byte limit`);
      const audio = new Uint8Array(await res.arrayBuffer());
      if (audio.length > maxBytes)
        throw new Error(`recording is ${audio.length} bytes, over the ${maxBytes}-byte limit`);
      // whisper-large-v3-turbo takes base64 audio (the older @cf/openai/whisper takes a byte array).
      const out = (await binding.run(WHISPER_MODEL, { audio: toBase64(audio) })) as { text?: unknown };
      const text = typeof out?.text === 'string' ? out.text.trim() : '';
      return text === '' ? null : text;
    },
  };
}
