import { describe, expect, it } from 'vitest';
import { kitchenExample, signalsOf } from './helpers';

describe('intent', () => {
  it.each([
    ['the kitchen example', kitchenExample, 'kitchen_remodel'],
    [
      'a denied kitchen and the real bathroom',
      "We're not looking to redo the kitchen, it's fine. It's the upstairs bathroom we want redone.",
      'bathroom_remodel',
    ],
    [
      'a neighbour’s roof and our windows',
      "My neighbor had you do their roof last year. I'm calling about our windows, they're drafty and I want them replaced.",
      'windows_doors',
    ],
    [
      'a past kitchen and a new bathroom',
      'We remodeled our kitchen last year with another company. This time we want to redo the hall bathroom.',
      'bathroom_remodel',
    ],
    [
      'solar someday, roof now',
      "We're thinking about solar eventually, but first we need a new roof, ours is leaking.",
      'roofing',
    ],
    [
      'a kitchen sink clog is plumbing',
      'my kitchen sink is backed up and the dishwasher wont drain, can you send a plumber today',
      'plumbing',
    ],
    [
      'a water heater on the basement floor is plumbing',
      'my water heater is leaking all over the basement floor and we have no hot water',
      'plumbing',
    ],
    ['an AC not cooling', "the AC isn't cooling and it's ninety degrees", 'hvac'],
    [
      'a gutted house',
      'we want to gut the whole house, new kitchen, both bathrooms, floors throughout',
      'whole_home_renovation',
    ],
    ['a second story', "we're thinking about adding a second story, our family is growing", 'addition'],
    ['a deck is another project', 'I just need my deck rebuilt, the boards are rotting', 'other_project'],
    [
      'a basement finish with a bathroom in it',
      'We want to finish the basement, add a bedroom and a bathroom down there.',
      'other_project',
    ],
    ['Spanish kitchen', 'Hola, quiero remodelar mi cocina, cambiar los gabinetes.', 'kitchen_remodel'],
    ['speech-to-text splits', 'yeah the bath room up stairs needs to be redone', 'bathroom_remodel'],
    [
      'the agent listing services does not count',
      'Agent: We do kitchens, baths, roofing, you name it.\nCaller: I just need my fence fixed.',
      'other_project',
    ],
    ['no project at all', 'Hi, what are your hours on Saturday?', 'none'],
    [
      'a flyer mention is not a project',
      "I got your flyer about roof inspections, we don't need anything, thanks.",
      'none',
    ],
  ])('%s', (_name, transcript, intent) => {
    expect(signalsOf(transcript).intent).toBe(intent);
  });

  it.each([
    [
      'an ad the caller responds to',
      "I got your mailer about bathroom remodels. I'm at work now, can you give me a call tomorrow morning?",
      'bathroom_remodel',
    ],
    [
      'a neighbour’s project the caller wants too',
      'My neighbor just got solar from you guys and I am curious, can someone call me?',
      'solar',
    ],
  ])('falls back to a second-hand mention when nothing else is named: %s', (_name, transcript, intent) => {
    expect(signalsOf(transcript).intent).toBe(intent);
  });

  it('uses a tenant taxonomy, and other_project for projects outside it', () => {
    const taxonomy = ['pool_installation', 'landscaping', 'other_project', 'none'];
    expect(signalsOf('We want a new pool put in the backyard this summer.', { taxonomy }).intent).toBe(
      'pool_installation',
    );
    expect(signalsOf('We need a new roof.', { taxonomy }).intent).toBe('other_project');
  });

  it('quotes the words it relied on', () => {
    expect(signalsOf(kitchenExample).evidence.intent).toContain('kitchen');
  });
});
