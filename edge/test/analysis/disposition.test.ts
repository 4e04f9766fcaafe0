import { describe, expect, it } from 'vitest';
import { kitchenExample, signalsOf, type CallOptions } from './helpers';

describe('disposition', () => {
  it.each<[string, string, string, CallOptions?]>([
    ['ready with a near timeline and a budget', kitchenExample, 'hot_lead'],
    [
      'a time the agent confirms',
      'Caller: We want our master bath redone.\nAgent: Our designer could come Thursday at 10. Does that work?\nCaller: Thursday at 10 works.\nAgent: Perfect, you are all set for Thursday at 10.',
      'appointment_booked',
    ],
    [
      'a time the caller accepts',
      'Caller: We want to gut the whole house.\nAgent: Can our project manager walk through it this Saturday at 11?\nCaller: Yes, Saturday at 11 is perfect.',
      'appointment_booked',
    ],
    [
      'a caller who asks to be called back',
      "I'm interested in a kitchen remodel but I'm driving, can someone call me back after 5?",
      'callback_requested',
    ],
    [
      'a caller who will talk it over',
      "Caller: We want a new roof this fall.\nAgent: I'll email you the estimate and follow up next week.\nCaller: I'll need to talk it over with my wife.",
      'follow_up',
    ],
    [
      'a promise to check back is not a booking',
      "Caller: We're comparing one more company.\nAgent: I'll check back with you on Friday.\nCaller: Sounds good.",
      'follow_up',
    ],
    ['a vague interest', 'Do you guys do patio doors? Thinking about French doors at some point.', 'interested'],
    [
      'a robocall',
      'This is an important message about your Google business listing. Press 1 now. Press 9 to be removed from our list.',
      'spam',
    ],
    [
      'a vendor pitch',
      'Hi, this is Mike with BrightRank, we help contractors get more exclusive leads. Is the owner available?',
      'spam',
    ],
    [
      'a wrong number',
      "Is this Dr. Patel's office? I need to reschedule my cleaning. Oh, sorry, wrong number.",
      'wrong_number',
    ],
    [
      'a do-not-call request',
      "I never asked for a quote. Take me off your list and don't call this number again.",
      'do_not_call',
    ],
    [
      'a do-not-call request in the passive',
      'I keep getting calls about solar. I want to be taken off your list.',
      'do_not_call',
    ],
    [
      'a business asked for by name',
      'Hi, is this Home Depot? I need to check on my order of deck boards. No, this is Summit Remodeling. Oops.',
      'wrong_number',
    ],
    [
      'a caller who hangs up on the greeting',
      'Agent: Thank you for calling Summit, this is Dana.\nCaller: Oh, sorry.',
      'not_connected',
    ],
    [
      'a vendor selling funding',
      'I am calling from Capital Business Funding, you may qualify for up to $250,000 in working capital.',
      'spam',
    ],
    [
      'a lead who sold the house',
      "Agent: Returning your call about the bay window.\nCaller: We're not doing the bay window anymore, we sold the house.",
      'not_interested',
    ],
    [
      'a time accepted in Spanish',
      'Caller: Tengo una fuga debajo del fregadero, ¿pueden mandar un plomero hoy?\nAgent: Sí, podemos estar ahí a las tres.\nCaller: Perfecto, gracias.',
      'appointment_booked',
    ],
    [
      'a warranty call',
      "You guys installed our furnace last October and it's banging. It's still under warranty, right?",
      'existing_customer',
    ],
    ['a billing call', "I'm calling about my invoice, I think I was charged twice.", 'existing_customer'],
    [
      'an existing customer with a new project is a lead',
      'You did our kitchen two years ago. Now we want to do the bathrooms, budget around 30 thousand, starting next month.',
      'hot_lead',
    ],
    ['a lost deal', 'We actually decided to go with another company. Thanks though.', 'not_interested'],
    [
      'a denied project with another wanted is not lost',
      "I'm not interested in new windows, what I need is a new front door.",
      'interested',
    ],
    [
      'a voicemail left by the caller',
      'Hi, this is Linda, please call me back about a roof quote.',
      'voicemail',
      { answered: false },
    ],
    [
      'a voicemail greeting on an outbound call',
      "You've reached the Hendersons, leave a message after the tone. Hi, this is Tom returning your call.",
      'voicemail',
      { direction: 'outbound' },
    ],
    [
      'a carrier intercept',
      'The wireless customer you are calling is not available. Please try your call again later.',
      'not_connected',
      { answered: false, direction: 'outbound' },
    ],
    ['an empty transcript', '', 'not_connected', { answered: false }],
    ['only hellos', 'Hello? Hello?', 'not_connected'],
  ])('%s', (_name, transcript, disposition, options) => {
    expect(signalsOf(transcript, options).disposition).toBe(disposition);
  });

  it('flags spam and drops the project words a spammer used', () => {
    const s = signalsOf("We have homeowners in your area looking for kitchen remodels right now, it's pay per lead.");
    expect(s).toMatchObject({ spam: true, intent: 'none', disposition: 'spam' });
  });
});
