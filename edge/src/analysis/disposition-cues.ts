/**
 * The phrases behind each disposition, one per line so they can be read and extended. Each
 * is a regular-expression fragment matched as whole words in normalised speech (see
 * `normalizeSpeech`): lower case, fillers dropped.
 */

/** One expression from a list of phrases, matched as whole words. */
export function phrases(list: readonly string[], flags = ''): RegExp {
  return new RegExp(String.raw`\b(${list.join('|')})\b`, flags);
}

/** Robocalls, scams and vendors selling to the business: never a customer. */
export const spamCues = phrases([
  String.raw`press (1|one|2|two|9|nine)`,
  String.raw`extended warranty`,
  String.raw`car's warranty`,
  String.raw`vehicle warranty`,
  String.raw`google (business )?listing`,
  String.raw`business listing`,
  String.raw`verify your (business|listing)`,
  String.raw`final (notice|courtesy call)`,
  String.raw`social security number (has been|is) (suspended|compromised)`,
  String.raw`(lower|reduce) your (credit card )?processing`,
  String.raw`merchant services`,
  String.raw`business loan`,
  String.raw`pre-?approved for`,
  String.raw`we help (\w+ )?(contractors|businesses|companies)`,
  String.raw`(more|exclusive) leads`,
  String.raw`pay per lead`,
  String.raw`rank (higher|first|on google)`,
  String.raw`seo`,
  String.raw`search engine optimization`,
  String.raw`(conducting|brief|short|quick) (a )?([\w-]+ )*?survey`,
  String.raw`market research`,
  String.raw`this is an automated`,
  String.raw`automated message`,
  String.raw`you('ve| have) been selected`,
  String.raw`congratulations,? you`,
  String.raw`free cruise`,
  String.raw`homeowners in your area`,
  String.raw`is the owner available`,
  String.raw`speak (to|with) the owner`,
  String.raw`we (can )?help (you|your (company|business))`,
  String.raw`your company has`,
  String.raw`(we're|we are) offering (contractors|businesses|companies)`,
  String.raw`open an account`,
  String.raw`our catalog`,
  String.raw`(a|one) minute to hear about`,
  String.raw`(warranty|policy|coverage) (is about to|will soon|is going to) expire`,
  String.raw`our records (indicate|show)`,
  String.raw`working capital`,
  String.raw`business funding`,
  String.raw`merchant cash advance`,
  String.raw`you may qualify`,
]);

/** The caller meant to reach someone else. */
export const wrongNumberCues = phrases([
  String.raw`wrong number`,
  String.raw`(must|might) have (dialed|called) (the )?wrong`,
  String.raw`dialed (the )?wrong`,
  String.raw`misdialed`,
  String.raw`wrong (company|place|business|office)`,
  String.raw`is this (dr|doctor)\b`,
  String.raw`i was trying to (reach|call) (a|the|dr|my)`,
  String.raw`sorry,? (i|we) (thought|was looking for)`,
]);

/** Asked not to be called again (the caller's side only). */
export const doNotCallCues = phrases([
  String.raw`take (me|us|my number|this number) off`,
  String.raw`(be|get|been) taken off (your|the)`,
  String.raw`off (your|the) (call|calling|contact) list`,
  String.raw`remove (me|us|my number|this number) from`,
  String.raw`(stop|quit) calling`,
  String.raw`don't call (me|us|this number|here|again)`,
  String.raw`do not call (me|us|this number|again|list)`,
  String.raw`never call (me|here|this number) again`,
  String.raw`lose (my|this) number`,
  String.raw`put me on (your|the) do not call`,
]);

/** A carrier's recording: nobody was reached and no message was left. */
export const carrierIntercept = phrases([
  String.raw`(customer|number|person|party|subscriber) you (are|have) (calling|called|dialed|trying to reach) is (not available|unavailable|not in service)`,
  String.raw`please try your call again`,
  String.raw`has been disconnected`,
  String.raw`is no longer in service`,
  String.raw`mailbox is full`,
  String.raw`cannot be completed as dialed`,
]);

/** A voicemail greeting at the start of the call. */
export const voicemailGreeting = phrases([
  String.raw`leave (me |us )?(a|your) (message|name)`,
  String.raw`after the (tone|beep)`,
  String.raw`at the tone`,
  String.raw`not available (right now|to take)`,
  String.raw`can't (come to|get to|answer) the phone`,
  String.raw`you('ve| have) reached`,
  String.raw`the mailbox (is full|of)`,
  String.raw`this is the voicemail`,
]);

/** A customer already: work done or under way, billing, warranty. */
export const existingCues = phrases([
  String.raw`you (guys )?(installed|did|put in|replaced|redid|remodeled|built|finished|worked on)`,
  String.raw`you (guys )?(are|'re|were) (doing|working on)`,
  String.raw`your (crew|installer|technician|tech|guys) (was|were|came|left|is|are|didn't|never)`,
  String.raw`the crew`,
  String.raw`(my|our|your) project manager`,
  String.raw`(my|the) invoice`,
  String.raw`(my|our|the) (final|last|next) payment`,
  String.raw`pay (the|my|our) (deposit|balance|invoice|bill)`,
  String.raw`(under|still under|on|still on) (the )?warranty`,
  String.raw`warranty claim`,
  String.raw`service ticket`,
  String.raw`existing customer`,
  String.raw`current customer`,
  String.raw`already a customer`,
  String.raw`(my|our) (account|contract)`,
  String.raw`(my|our) (\w+ )?(installation|install)`,
  String.raw`charged (me )?twice`,
  String.raw`refund`,
]);

/** An existing customer asking for new work is a new lead. */
export const newProjectCues = phrases([
  String.raw`now (we|i) (want|need|would like)`,
  String.raw`(would like|want|need) (a|an|another) (quote|estimate|bid)`,
  String.raw`this time`,
  String.raw`another project`,
  String.raw`next project`,
  String.raw`new project`,
  String.raw`also (want|need)`,
  String.raw`(we|i) (want|need|would like) to (do|redo|remodel|add|replace|build)`,
]);

/** The lead is lost: said no, went elsewhere, will do it themselves. */
export const notInterestedCues = phrases([
  String.raw`not interested`,
  String.raw`no longer interested`,
  String.raw`(decided|going|gonna) (to )?go with (another|a different|someone|somebody|the other)`,
  String.raw`went with (another|someone|somebody|a different)`,
  String.raw`(already|just) (hired|found|signed with|went with|chose)`,
  String.raw`hold(ing)? off`,
  String.raw`(we'll|we will|we're going to|going to) pass`,
  String.raw`changed (our|my) minds?`,
  String.raw`(don't|do not) need anything`,
  String.raw`not going (to do|forward|ahead)`,
  String.raw`decided (not to|against)`,
  String.raw`no thanks`,
  String.raw`no thank you`,
  String.raw`never ?mind`,
  String.raw`do it (ourselves|myself)`,
  String.raw`diy`,
  String.raw`(not|no longer) (doing|going to do) [\w' ]{0,25}anymore`,
  String.raw`(we|i) sold (the|our|my) (house|home|place)`,
  String.raw`cancel (it|the|my|our)\b(?!.*\b(reschedule|move))`,
]);

/** A confirmed visit: the business confirms, or someone says when they will be there. */
export const bookedCues = phrases([
  String.raw`(you're|you are|you've been) (all set|booked|scheduled|rescheduled|confirmed|on (the|our) (schedule|calendar))`,
  String.raw`(i've|i have|i'll|i will|let me) (got|get|put|pencil|penciled|booked|book|scheduled|schedule) you (down|in|for|on)`,
  String.raw`(i've|i have) (got )?you (scheduled|booked|down)`,
  String.raw`(we|i) can be (there|here|out) (at|by|between|around|today|tomorrow)`,
  String.raw`podemos estar (ahí|allí|ahi)`,
  String.raw`i have you (down|scheduled|booked)`,
  String.raw`(appointment|visit|consultation|inspection|estimate) is (set|confirmed|booked|scheduled)`,
  String.raw`see you (then|tomorrow|on|at|monday|tuesday|wednesday|thursday|friday|saturday|sunday)`,
  String.raw`we'll see you`,
  String.raw`i'll meet you there`,
  String.raw`\w+ at \d+ (it is|then)`,
  String.raw`(he'll|she'll|they'll|he will|she will|they will|someone will|\w+ will) be (here|there|out) (by|at|between|around)`,
  String.raw`(i'll|we'll|i will|we will) be (there|here|home)`,
  String.raw`queda agendad[oa]`,
  String.raw`(cita|visita) (confirmada|agendada)`,
]);

/** Words that pin a visit to a time. */
export const timeWords = phrases([
  String.raw`monday`,
  String.raw`tuesday`,
  String.raw`wednesday`,
  String.raw`thursday`,
  String.raw`friday`,
  String.raw`saturday`,
  String.raw`sunday`,
  String.raw`tomorrow`,
  String.raw`today`,
  String.raw`this (afternoon|morning|evening)`,
  String.raw`tonight`,
  String.raw`next week`,
  String.raw`\d{1,2}(:\d{2})? ?(am|pm|a\.m|p\.m|o'clock)`,
  String.raw`at \d{1,2}`,
  String.raw`at (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)`,
  String.raw`between \w+ and \w+`,
  String.raw`lunes`,
  String.raw`martes`,
  String.raw`miércoles`,
  String.raw`jueves`,
  String.raw`viernes`,
  String.raw`sábado`,
  String.raw`domingo`,
  String.raw`a las \w+`,
  String.raw`hoy`,
  String.raw`mañana`,
]);

/** The caller asks to be called back (not the agent promising to call). */
export const callbackCues = phrases([
  String.raw`(can|could|would|will) (you|someone|somebody|he|she|they|your \w+) (please )?(call|give) me`,
  String.raw`(?<!(you'll|you will|and) )call me back`,
  String.raw`have (someone|somebody|him|her|them|the \w+) (call|contact|reach) me`,
  String.raw`give me a call`,
  String.raw`call me (after|at|tomorrow|later|in|this|on|around)`,
  String.raw`ll[aá]meme`,
  String.raw`me puede llamar`,
]);

/** The caller defers: talk it over, compare, send information, get back to you. */
export const followUpCallerCues = phrases([
  String.raw`talk (it over )?(to|with) (my|the) (wife|husband|spouse|partner|brother|sister|family|dad|mom|landlord|him|her)`,
  String.raw`talk it over`,
  String.raw`talk to (him|her)`,
  String.raw`think about it`,
  String.raw`get back to you`,
  String.raw`check (my|with my|our) (schedule|calendar|work schedule)`,
  String.raw`check with my`,
  String.raw`let me check`,
  String.raw`compare`,
  String.raw`shopping around`,
  String.raw`send me (some )?(info|information|details|pictures|a quote|an estimate)`,
  String.raw`email (me|is fine|works)`,
  String.raw`(i'll|i will|we'll) (call you back|reach out|let you know)`,
  String.raw`(i'll|i will) (give|pass) (him|her|them|my \w+) (your|the) (number|info|information)`,
  String.raw`not yet`,
]);

/** The business promises to send something or check back. */
export const followUpAgentCues = phrases([
  String.raw`(i'll|i will|we'll|we will) (email|send|check back)`,
  String.raw`follow up`,
  String.raw`check back`,
  String.raw`send (you )?(some )?(info|information)`,
]);

/** The caller asks for someone to come out, or for a quote or estimate. */
export const visitCues = phrases([
  String.raw`(can|could|would|will) (you|someone|somebody|your \w+) (come|get someone|send someone|send somebody|send a|give (me|us) (a|an) (quote|estimate))`,
  String.raw`come (out|look|take a look)`,
  String.raw`look at it`,
  String.raw`give me an estimate`,
  String.raw`get (a|an|some) (quote|estimate|estimates)`,
  String.raw`schedule (an|a) (estimate|appointment|consultation)`,
  String.raw`how soon (can|could)`,
  String.raw`need (someone|somebody) (out|to look|to come)`,
  String.raw`pueden (venir|mandar)`,
  String.raw`mandar a alguien`,
  String.raw`dar(me|nos) un presupuesto`,
  String.raw`cotizaci[oó]n`,
  String.raw`(getting|get|collecting) (some |a few |three |multiple )?(bids|quotes|estimates)`,
]);

/** Something is broken, leaking or out right now. */
export const activeProblemCues = phrases(
  [
    String.raw`leak(s|ing)?`,
    String.raw`leaky`,
    String.raw`burst`,
    String.raw`flood(ed|ing)?`,
    String.raw`no heat`,
    String.raw`no hot water`,
    String.raw`no ac`,
    String.raw`no air`,
    String.raw`stopped working`,
    String.raw`not working`,
    String.raw`isn't working`,
    String.raw`won't (turn on|start|drain|work|cool|heat)`,
    String.raw`went out`,
    String.raw`broke`,
    String.raw`broken`,
    String.raw`died`,
    String.raw`backed up`,
    String.raw`dripping`,
    String.raw`water coming`,
    String.raw`blowing cold air`,
    String.raw`emergency`,
    String.raw`goteras?`,
    String.raw`gotea`,
    String.raw`fuga`,
    String.raw`no funciona`,
    String.raw`se rompi[oó]`,
  ],
  'g',
);
