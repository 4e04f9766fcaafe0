// The phone properties HubSpot derives from what people type (reference crm-apis.md §1.3, [S]):
// `phone` / `mobilephone` stay as entered, `hs_calculated_*` hold a normalised number and
// `hs_searchable_calculated_*` the national number without the country code. A public fixture
// shows `phone: "00004"` giving `hs_searchable_calculated_phone_number: "4"`, so an unparseable
// value keeps its digits without leading zeros.
import { normalisePhone } from '@callsight/shared';
import { phoneForms } from '../../crm/hubspot/phone-forms';

const DERIVED: [source: string, calculated: string, searchable: string][] = [
  ['phone', 'hs_calculated_phone_number', 'hs_searchable_calculated_phone_number'],
  ['mobilephone', 'hs_calculated_mobile_number', 'hs_searchable_calculated_mobile_number'],
];

/** Rewrites the derived phone properties of a contact from its `phone` and `mobilephone`. */
export function derivePhoneProperties(properties: Record<string, string>, defaultCountry: string): void {
  for (const [source, calculated, searchable] of DERIVED) {
    delete properties[calculated];
    delete properties[searchable];
    const raw = properties[source]?.trim();
    if (!raw) continue;
    const parsed = normalisePhone(raw, defaultCountry);
    if (parsed.e164) {
      const forms = phoneForms(parsed.e164);
      properties[calculated] = parsed.e164;
      properties[searchable] = forms.national ?? forms.digits;
    } else {
      const digits = raw.replace(/\D/g, '').replace(/^0+/, '');
      if (digits) properties[searchable] = digits;
    }
  }
}
