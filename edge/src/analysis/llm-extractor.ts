// The LLM extractor: the same `Signals` as the rules, from Workers AI (llama 3.3 70B with JSON
// mode) or any OpenAI-compatible endpoint an operator configures (e.g. a local model server).
// It never stands alone: analyze() falls back to the rules result when it fails, times out or
// returns an object that does not fit the schema, and the analysis says why.
import { extractJsonMiddleware, generateText, Output, wrapLanguageModel, type LanguageModel } from 'ai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createWorkersAI } from 'workers-ai-provider';
import { defaultIntentTaxonomy, SignalsSchema, type Signals } from '@callsight/shared';
import type { CallInput, SignalExtractor } from './extractor';

export const WORKERS_AI_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';
export const LLM_EXTRACTOR_VERSION = '1';

/** What `env.AI` offers, as far as we use it; the Workers type is not visible outside workerd. */
export interface WorkersAiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
}

export interface LlmExtractorOptions {
  model: LanguageModel;
  /** Recorded with every analysis this extractor makes. */
  modelId: string;
  timeoutMs?: number;
  /** llama 3.3's default of 256 truncates the JSON object: never below 1024. */
  maxOutputTokens?: number;
}

/**
 * Models often wrap JSON in a Markdown fence, sometimes after a line of prose: keep the outermost
 * object and drop the rest.
 */
export function extractJsonObject(text: string): string {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : text;
}

function systemPrompt(taxonomy: readonly string[]): string {
  return [
    'You analyse phone calls to a home-services business and return one JSON object with the fields of the schema.',
    `intent: the caller's real project, one of: ${taxonomy.join(', ')}. A project mentioned only in passing or negated ("not the kitchen") is not the intent; "none" when there is no project.`,
    'timeline: when the caller wants the work done (immediate, 1-3_months, 3-6_months, 6+_months, unknown), relative to the call date.',
    "budget: the caller's own figure in USD (min and max, null when open or not said). Prices the agent quotes are not the caller's budget.",
    'decisionMaker: owner, renter, realtor, relative, property_manager or unknown.',
    'disposition: what the call came to (hot_lead, interested, appointment_booked, callback_requested, follow_up, voicemail, not_connected, not_interested, wrong_number, do_not_call, spam, existing_customer).',
    'evidence: for each field, a short exact quote from the transcript that supports it, or null.',
    'summary: one to three sentences. keyInsights and actionItems: short phrases. Never repeat card, bank or social security numbers.',
  ].join('\n');
}

function userPrompt(input: CallInput): string {
  const date = typeof input.callDate === 'string' ? input.callDate : input.callDate.toISOString();
  return [
    `Call date: ${date}`,
    `Direction: ${input.direction}; answered: ${input.answered}; duration: ${input.durationSeconds ?? 'unknown'} s`,
    'Transcript:',
    input.transcript?.trim() || '(none)',
  ].join('\n');
}

export function createLlmExtractor(options: LlmExtractorOptions): SignalExtractor & { modelId: string } {
  const model = wrapLanguageModel({
    model: options.model as Parameters<typeof wrapLanguageModel>[0]['model'],
    middleware: extractJsonMiddleware({ transform: extractJsonObject }),
  });
  return {
    name: 'llm',
    version: LLM_EXTRACTOR_VERSION,
    modelId: options.modelId,
    async extract(input: CallInput): Promise<Signals> {
      const taxonomy = input.taxonomy ?? defaultIntentTaxonomy;
      const timeoutMs = options.timeoutMs ?? 20_000;
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Raced as well as aborted: the Workers AI binding does not take an abort signal, so a
      // model that never answers would otherwise hold the job until its lease runs out.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new Error(`${options.modelId} did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      const { output } = await Promise.race([
        generateText({
          model,
          system: systemPrompt(taxonomy),
          prompt: userPrompt(input),
          output: Output.object({ schema: SignalsSchema }),
          temperature: 0,
          maxOutputTokens: Math.max(1024, options.maxOutputTokens ?? 1536),
          maxRetries: 1,
          abortSignal: controller.signal,
        }),
        timeout,
      ]).finally(() => clearTimeout(timer));
      // A label outside the tenant's taxonomy is a project we do not list, not a new class.
      return taxonomy.includes(output.intent) ? output : { ...output, intent: 'other_project' };
    },
  };
}

/** Workers AI through the `AI` binding (only inside a Worker: the binding is remote-only). */
export function workersAiExtractor(binding: WorkersAiBinding, timeoutMs?: number) {
  // workers-ai-provider types the binding with the global `Ai` of workerd's types.
  const workersai = createWorkersAI({
    binding: binding as Parameters<typeof createWorkersAI>[0] extends { binding: infer B } ? B : never,
  });
  return createLlmExtractor({ model: workersai(WORKERS_AI_MODEL), modelId: WORKERS_AI_MODEL, timeoutMs });
}

/** Any OpenAI-compatible chat endpoint (a local model server, a gateway): set by the operator. */
export function openAiCompatibleExtractor(config: {
  baseURL: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
}) {
  const provider = createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: config.baseURL,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    supportsStructuredOutputs: true,
  });
  return createLlmExtractor({ model: provider(config.model), modelId: config.model, timeoutMs: config.timeoutMs });
}
