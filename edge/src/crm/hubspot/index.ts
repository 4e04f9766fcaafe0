export { createHubspotAdapter, type HubspotAdapter, type HubspotAdapterConfig } from './adapter';
export { ASSOCIATION } from './associations';
export { CALL_DISPOSITION, callOutcomeProperties } from './call-outcome';
export { nextMidnight } from './daily-reset';
export { classifyHubspotResponse, classifyNetworkFailure } from './errors';
export { HubspotHttp, type FetchLike, type HubspotHttpConfig } from './http';
export { phoneForms, type PhoneForms } from './phone-forms';
export {
  CALLSIGHT_GROUP,
  CALLSIGHT_PROPERTIES,
  setupProperties,
  type CallsightProperty,
  type PropertySetupReport,
} from './properties';
