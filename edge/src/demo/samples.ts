// Sample deliveries in each vendor's own shape (field names and types as their docs and
// published samples show them): the demo posts them, tests and benchmarks build on them.

export interface CallrailCallOptions {
  id: string | number;
  phone?: string;
  name?: string;
  answered?: boolean;
  voicemail?: boolean;
  direction?: 'inbound' | 'outbound';
  duration?: string | number;
  transcription?: string;
  startTime?: string;
  changes?: string[];
}

export function callrailCall(o: CallrailCallOptions): Record<string, unknown> {
  const answered = o.answered ?? true;
  const voicemail = o.voicemail ?? false;
  return {
    answered,
    business_phone_number: answered ? '+14045550100' : '',
    call_type: voicemail ? 'voicemail' : o.direction === 'outbound' ? 'outbound' : answered ? 'answered' : 'missed',
    company_id: 155920786,
    company_name: 'Demo Home Services',
    customer_city: 'Rochester',
    customer_country: 'US',
    customer_name: o.name ?? 'Kaylah Mills',
    customer_phone_number: o.phone ?? '+12148654559',
    customer_state: 'PA',
    direction: o.direction ?? 'inbound',
    duration: o.duration ?? (answered ? '187' : '0'),
    first_call: false,
    id: o.id,
    recording: answered || voicemail ? `https://app.callrail.com/calls/${o.id}/recording/redirect?access_key=demo` : '',
    source_name: 'Google AdWords',
    start_time: o.startTime ?? '2026-11-20T10:15:00.000-05:00',
    tracking_phone_number: '+14045558514',
    transcription: o.transcription ?? '',
    value: '',
    voicemail,
    utm_source: 'google',
    utm_medium: 'cpc',
    utm_campaign: 'Kitchen Remodel 2026',
    gclid: 'Cj0KCQiA-demo',
    landing_page_url: 'https://demo-home.example/kitchens',
    ...(o.changes ? { changes: o.changes } : {}),
  };
}

export function retellCall(event: string, o: { callId: string; from?: string; transcript?: string; startMs: number }) {
  const call: Record<string, unknown> = {
    call_type: 'phone_call',
    from_number: o.from ?? '+12137771234',
    to_number: '+12137771235',
    direction: 'inbound',
    call_id: o.callId,
    agent_id: 'oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD',
    call_status: event === 'call_started' ? 'ongoing' : 'ended',
    metadata: {},
    retell_llm_dynamic_variables: { customer_name: 'John Doe' },
    start_timestamp: o.startMs,
  };
  if (event !== 'call_started') {
    call.end_timestamp = o.startMs + 95_000;
    call.duration_ms = 95_000;
    call.disconnection_reason = 'user_hangup';
    call.transcript = o.transcript ?? 'Agent: Thanks for calling.\nUser: I need a new roof before winter.';
    call.recording_url = `https://recordings.retellai.example/${o.callId}.wav`;
  }
  if (event === 'call_analyzed') {
    call.call_analysis = {
      call_summary: 'Caller wants a roof replacement before winter and asked for a quote.',
      user_sentiment: 'Positive',
      call_successful: true,
      in_voicemail: false,
      custom_analysis_data: { project: 'roofing' },
    };
  }
  return { event, call };
}

export function ringostatForm(o: { uniqueid: string; caller?: string; disposition?: string; billsec?: number }) {
  return new URLSearchParams({
    uniqueid: o.uniqueid,
    caller: o.caller ?? '380501234567',
    dst: '380442223344',
    disposition: o.disposition ?? 'ANSWERED',
    call_type: 'in',
    calldate: '2026-11-20 14:03:11',
    billsec: String(o.billsec ?? 64),
    employee_fio: 'Olena Shevchenko',
    employee_number: '380671112233',
    recording: `https://ringostat.example/records/${o.uniqueid}.mp3`,
    utm_source: 'facebook',
    utm_medium: 'paid',
    utm_campaign: 'spring-windows',
  }).toString();
}
