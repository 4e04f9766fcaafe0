import { type DecisionMaker } from '@callsight/shared';
import { isCallerSide, quote, type ParsedTranscript, type Sentence } from './transcript';

/**
 * Who the caller is to the property. What they say about themselves beats what their words
 * imply: "I rent" outweighs "my living room"; "we have to be out of our rental" after "we just
 * closed on a ranch" is an owner moving in.
 */

export interface DecisionMakerResult {
  decisionMaker: DecisionMaker;
  evidence: string | null;
}

const relatives = String.raw`(mom|mother|dad|father|parents|grandma|grandmother|grandpa|grandfather|aunt|uncle|sister|brother|son|daughter|in-laws|mother-in-law|father-in-law|mamá|papá|madre|padre)`;

const explicit: ReadonlyArray<[DecisionMaker, RegExp]> = [
  [
    'realtor',
    /\b(i'm a realtor|i am a realtor|real estate agent|realtor with|my listing|a listing|listing agent|my (client|clients|buyers|sellers)|the sellers)\b/,
  ],
  [
    'property_manager',
    /\b(property manager|i manage (the|a|some|several)|management company|manage (the )?(property|properties|building|units)|on behalf of the (owner|hoa|association)|for the hoa)\b/,
  ],
  [
    'renter',
    /\b(i rent|we rent|i'm renting|we're renting|we are renting|i am renting|my landlord|our landlord|i'm a tenant|we're tenants|i am a tenant|my lease|our lease|the landlord would|ask (my|the) landlord|(the|my|our) landlord (wants|said|says|needs|is making|has to)|moving out)\b/,
  ],
  [
    'relative',
    new RegExp(
      String.raw`\b((calling|call) (for|on behalf of) my ${relatives}|for my ${relatives}'?s?\b|my ${relatives}'s (house|home|place|condo|bathroom|kitchen|roof)|(it's|it is) (her|his|their) (house|home|place)|helping (her|him|them|my ${relatives}))`,
    ),
  ],
  [
    'owner',
    /\b(i own|we own|homeowners?|own the (home|house|place)|(just )?(bought|closed on|purchased) (a|the|our|my)|it's my (house|home)|my own (house|home)|soy (el )?dueño|somos dueños)\b/,
  ],
];

/** Saying "my house", "our roof" or "remodel my kitchen" is how owners talk; it decides only when nothing else does. */
const possessive =
  /\b(my|our) (house|home|place|kitchen|bathroom|bathrooms|bath|roof|basement|deck|windows|front door|floors|furnace|yard|garage|property|master bathroom|upstairs bathroom|hall bathroom|water heater|ac|heat pump)\b|\bmi (casa|cocina|baño|techo)\b/;
/** "Do you own the home?" answered yes. */
const ownQuestion = /\bdo you own\b/;

export function extractDecisionMaker(parsed: ParsedTranscript): DecisionMakerResult {
  const callerSentences = parsed.sentences.filter(isCallerSide);
  for (const [who, re] of explicit) {
    const hit = callerSentences.find((s) => re.test(s.norm));
    if (hit) return { decisionMaker: who, evidence: quote(hit) };
  }
  const answeredOwn = parsed.sentences.find(
    (s, i) =>
      i > 0 &&
      isCallerSide(s) &&
      ownQuestion.test(parsed.sentences[i - 1]!.norm) &&
      /^(yes|yeah|yep|we do|i do)\b/.test(s.norm),
  );
  if (answeredOwn) return { decisionMaker: 'owner', evidence: quote(answeredOwn) };
  const implied: Sentence | undefined = callerSentences.find((s) => possessive.test(s.norm));
  if (implied) return { decisionMaker: 'owner', evidence: quote(implied) };
  return { decisionMaker: 'unknown', evidence: null };
}
