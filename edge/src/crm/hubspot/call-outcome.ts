// How a Callsight call outcome reads in HubSpot's call properties. `hs_call_status` values and the
// default disposition GUIDs come from reference crm-apis.md §1.5 [S]: the GUIDs are the same in
// every portal as far as public code shows; portals may add their own outcomes.
import type { CallLog } from '../port';

export const CALL_DISPOSITION = {
  busy: '9d9162e7-6cf3-4944-bf63-4dff82258764',
  connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  leftLiveMessage: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff',
  leftVoicemail: 'b2cf5968-551e-4856-9783-52b3da59a7d0',
  noAnswer: '73a0d17f-1163-4015-bdd5-ec830791da20',
  wrongNumber: '17b47fee-58de-441e-a44c-c6300d46f273',
} as const;

export interface CallOutcomeProperties {
  hs_call_status: string;
  hs_call_disposition?: string;
}

/**
 * - answered: COMPLETED / Connected;
 * - missed: an inbound call nobody picked up is MISSED, an outbound one NO_ANSWER;
 * - voicemail: inbound = the caller left one for us, so the rep still missed it (MISSED /
 *   No answer); outbound = our rep left one (COMPLETED / Left voicemail);
 * - in_progress: IN_PROGRESS, no outcome yet.
 */
export function callOutcomeProperties(
  direction: CallLog['direction'],
  outcome: CallLog['outcome'],
): CallOutcomeProperties {
  switch (outcome) {
    case 'answered':
      return { hs_call_status: 'COMPLETED', hs_call_disposition: CALL_DISPOSITION.connected };
    case 'missed':
      return {
        hs_call_status: direction === 'inbound' ? 'MISSED' : 'NO_ANSWER',
        hs_call_disposition: CALL_DISPOSITION.noAnswer,
      };
    case 'voicemail':
      return direction === 'inbound'
        ? { hs_call_status: 'MISSED', hs_call_disposition: CALL_DISPOSITION.noAnswer }
        : { hs_call_status: 'COMPLETED', hs_call_disposition: CALL_DISPOSITION.leftVoicemail };
    case 'in_progress':
      return { hs_call_status: 'IN_PROGRESS' };
  }
}

/** Deal priority values are lower case (`hs_priority`), task priorities upper case. */
export const DEAL_PRIORITY = { high: 'high', medium: 'medium', low: 'low' } as const;
export const TASK_PRIORITY = { high: 'HIGH', medium: 'MEDIUM', low: 'LOW' } as const;
