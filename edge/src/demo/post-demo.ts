import { callrailHeaders, retellHeaders, ringostatHeaders } from './sign';
import { callrailCall, retellCall, ringostatForm } from './samples';
import type { DemoTenant } from './demo-tenant';

interface DemoDelivery {
  label: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}

const kitchen =
  "Hi, I'm interested in remodeling my kitchen. I'm looking to do this in the next 2-3 months. " +
  'My budget is around $30,000 to $40,000. Can someone come out to give me an estimate?';

/** A handful of signed deliveries covering every source and the cases people ask about. */
export async function demoDeliveries(demo: DemoTenant, now: number): Promise<DemoDelivery[]> {
  const cr = (label: string, body: Record<string, unknown>) => ({ label, body: JSON.stringify(body) });
  const callrail = [
    cr('CallRail answered call with transcript', callrailCall({ id: 'CALdemo0001', transcription: kitchen })),
    cr(
      'CallRail missed call',
      callrailCall({ id: 'CALdemo0002', phone: '+13036231131', name: 'Ana Ruiz', answered: false }),
    ),
    cr(
      'CallRail voicemail',
      callrailCall({ id: 'CALdemo0003', phone: '+17205550143', answered: false, voicemail: true }),
    ),
    cr('CallRail outbound call', callrailCall({ id: 'CALdemo0004', direction: 'outbound', duration: 75 })),
  ];
  const modified = cr(
    'CallRail call modified (transcript arrived late)',
    callrailCall({
      id: 'CALdemo0002',
      phone: '+13036231131',
      name: 'Ana Ruiz',
      answered: false,
      transcription: 'Sorry I missed you, please call me back about the bathroom.',
      changes: ['transcription_text'],
    }),
  );
  const duplicate = { ...callrail[0]!, label: 'CallRail duplicate delivery (changes nothing)' };
  const out: DemoDelivery[] = [];
  for (const d of [...callrail, duplicate, modified]) {
    out.push({
      label: d.label,
      path: `/v1/webhooks/callrail/${demo.slug}`,
      body: d.body,
      headers: await callrailHeaders(demo.secrets.callrail, d.body),
    });
  }
  for (const event of ['call_started', 'call_ended', 'call_analyzed']) {
    const body = JSON.stringify(retellCall(event, { callId: 'retell_demo_0001', startMs: now - 120_000 }));
    out.push({
      label: `Retell AI ${event}`,
      path: `/v1/webhooks/retell/${demo.slug}`,
      body,
      headers: await retellHeaders(demo.secrets.retell, body, now),
    });
  }
  const { username, password } = demo.secrets.ringostat;
  out.push(
    {
      label: 'Ringostat answered call (form-encoded)',
      path: `/v1/webhooks/ringostat/${demo.slug}`,
      body: ringostatForm({ uniqueid: '1732101791.100' }),
      headers: ringostatHeaders(username, password, 'application/x-www-form-urlencoded'),
    },
    {
      label: 'Ringostat missed call (NO+ANSWER)',
      path: `/v1/webhooks/ringostat/${demo.slug}`,
      body: ringostatForm({ uniqueid: '1732101792.101', caller: '380671234567', disposition: 'NO+ANSWER', billsec: 0 }),
      headers: ringostatHeaders(username, password, 'application/x-www-form-urlencoded'),
    },
  );
  return out;
}

export async function postDemo(baseUrl: string, demo: DemoTenant, print: (line: string) => void): Promise<boolean> {
  let ok = true;
  for (const d of await demoDeliveries(demo, Date.now())) {
    const res = await fetch(new URL(d.path, baseUrl), { method: 'POST', headers: d.headers, body: d.body });
    const json = (await res.json().catch(() => ({}))) as {
      callId?: string;
      duplicate?: boolean;
      error?: { message: string };
    };
    ok &&= res.status === 202;
    const detail =
      res.status === 202 ? `${json.callId}${json.duplicate ? ' (duplicate)' : ''}` : (json.error?.message ?? '');
    print(`${res.status}  ${d.label.padEnd(48)} ${detail}`);
  }
  return ok;
}
