/**
 * Words that name each default project type, with how strongly they do. "Kitchen" names a kitchen
 * remodel; "tile" barely names flooring. Symptoms ("not cooling", "no hot water") contain a
 * negation that is the problem itself, so they are never read as denied.
 */

export interface IntentTerm {
  re: RegExp;
  weight: number;
  symptom?: boolean;
}

const terms = (weight: number, source: string, symptom = false): IntentTerm => ({
  re: new RegExp(source, 'g'),
  weight,
  symptom,
});

export const intentLexicon: Readonly<Record<string, readonly IntentTerm[]>> = {
  kitchen_remodel: [
    terms(1.0, String.raw`\bkitchens?\b(?!\s+(sink|faucet|drain|disposal|garbage disposal|table|chairs?|lights?)\b)`),
    terms(0.8, String.raw`\b(cabinets?|cabinetry|countertops?|backsplash|kitchen island)\b`),
    terms(1.0, String.raw`\bcocinas?\b`),
    terms(0.8, String.raw`\b(gabinetes|encimeras|alacenas)\b`),
  ],
  bathroom_remodel: [
    terms(
      1.0,
      String.raw`\b(bathrooms?|baths|bath|master bath|half bath|powder room|en ?suite)\b(?!\s+(sink|faucet|drain|fan)\b)`,
    ),
    terms(0.7, String.raw`\b(showers?|bathtubs?|tubs?|tub surround|vanity|vanities|grab bars?)\b`),
    terms(1.0, String.raw`\bbaños?\b`),
    terms(0.7, String.raw`\b(ducha|regadera|bañera|tina)\b`),
  ],
  whole_home_renovation: [
    terms(
      2.5,
      String.raw`\b(gut|renovat\w*|remodel\w*|redo|redoing|updat\w*)( the| our| my)? (whole|entire) (house|home)\b`,
    ),
    terms(2.5, String.raw`\b(whole|entire)[- ](house|home) (remodel|renovation|reno|makeover)\b`),
    terms(
      2.0,
      String.raw`\b(gut (job|renovation|remodel|rehab)|top to bottom|fixer[- ]upper|full (renovation|remodel))\b`,
    ),
    // "Our kitchen, full gut" guts one room: alone, the words barely name a whole-home job.
    terms(0.6, String.raw`\bfull gut\b`),
    terms(2.0, String.raw`\b(toda la casa|remodelación completa)\b`),
  ],
  addition: [
    terms(
      2.0,
      String.raw`(?<!\bin )\b(addition|add-on|second story|second-story|bump[- ]out|sunroom|sun room|in-law suite|adu|accessory dwelling|build(ing)? onto)\b`,
    ),
    terms(
      1.5,
      String.raw`\badd(ing)? (on )?(a )?(room|bedroom|primary suite|master suite|garage)\b(?! (down|in the basement))`,
    ),
    terms(
      2.0,
      String.raw`\b(cuarto adicional|ampliaci[oó]n|ampliar la casa|(construir|agregar|añadir) (un|una) (cuarto|recámara|habitación))\b`,
    ),
  ],
  roofing: [
    terms(1.2, String.raw`\b(roof|roofs|roofing|roofer|re-?roof|shingles?|tear-?off)\b`),
    terms(1.2, String.raw`\b(techo|tejado|goteras?)\b`),
  ],
  solar: [
    terms(1.5, String.raw`\bsolar(es)?\b`),
    terms(1.0, String.raw`\b(photovoltaic|pv system|powerwall|battery backup)\b`),
  ],
  hvac: [
    terms(
      1.2,
      String.raw`\b(hvac|ac|air conditioning|air conditioners?|central air|furnace|heat pumps?|heating|cooling|ductwork|ducts|mini[- ]?splits?|boiler|thermostat|condenser|air handler)\b`,
    ),
    terms(
      1.0,
      String.raw`\b(no heat|no ac|no air|blowing (cold|warm|hot) air|(not|isn't|won't|stopped) (cooling|heating))\b`,
      true,
    ),
    terms(1.2, String.raw`\b(aire acondicionado|calefacci[oó]n|minisplit)\b`),
  ],
  plumbing: [
    terms(
      1.5,
      String.raw`\b(plumbing|plumbers?|repipe|repiping|re-pipe|water heaters?|tankless|sewer( line)?|sump pump)\b`,
    ),
    terms(
      1.0,
      String.raw`\b(pipes?|piping|drains?|clog|clogged|backed up|water line|main line|garbage disposal|sink|galvanized)\b`,
    ),
    terms(0.6, String.raw`\b(faucets?|toilets?|water pressure)\b`),
    terms(1.0, String.raw`\b(no hot water|won't drain|not draining|burst pipe)\b`, true),
    terms(1.5, String.raw`\b(plomer[ií]a|plomero|tuber[ií]a|calentador)\b`),
  ],
  windows_doors: [
    terms(1.2, String.raw`(?<!\btime )\bwindows?\b(?! of\b)`),
    terms(
      1.0,
      String.raw`\b(patio|sliding|french|front|entry|storm|back|exterior|interior)? ?doors?\b(?<!\b(next|on (my|the|our)|at the|to|garage) doors?)`,
    ),
    terms(1.2, String.raw`\b(ventanas?|puertas?)\b`),
  ],
  flooring: [
    terms(
      1.2,
      String.raw`\b(flooring|floors|hardwood|carpet|carpeting|laminate|vinyl plank|luxury vinyl|lvp|lvt|tile floors?)\b`,
    ),
    terms(0.5, String.raw`(?<!\b(first|second|third|ground|top|basement|bathroom|kitchen|garage) )\bfloor\b(?! plan)`),
    terms(0.8, String.raw`\brefinish(ed|ing)?\b`),
    terms(1.2, String.raw`\b(pisos|losetas)\b`),
  ],
  other_project: [
    terms(
      2.0,
      String.raw`\b(finish(ed|ing)? (the |our |my |your )?basement|basement (finish(ing)?|remodel|renovation|build ?out))\b`,
    ),
    terms(
      1.2,
      String.raw`\b(decks?|fence|fencing|pergolas?|covered patio|siding|porch|driveway|gutters?|gutter guards|garage doors?|landscaping|pool|retaining wall|generator)\b`,
    ),
    terms(
      0.8,
      String.raw`\b(patio(?! doors?)|paint|painted|painting|painters?|insulation|drywall|concrete|electrical|rewire|rewiring|panel upgrade|garage)\b`,
    ),
    terms(0.5, String.raw`\bbasement\b`),
  ],
};

/** Words that say nothing about the kind of project: left out when a tenant's label is turned into words. */
const genericWords = new Set([
  'other',
  'project',
  'projects',
  'remodel',
  'renovation',
  'repair',
  'repairs',
  'services',
]);
const genericWordsExtra = new Set(['service', 'install', 'installation', 'and', 'or', 'new', 'home', 'none']);

/** Terms for a tenant's own label ("pool_installation" → "pool"), when the default lexicon has none. */
export function termsForLabel(label: string): IntentTerm[] {
  const words = label
    .toLowerCase()
    .split(/[_\-\s/]+/)
    .filter((w) => w.length > 2 && !genericWords.has(w) && !genericWordsExtra.has(w));
  // A tenant's own words name its own project: they outweigh the default lexicon's "other" words.
  return words.map((w) => terms(1.5, String.raw`\b${w.replace(/[^a-z0-9]/g, '')}(s|es)?\b`));
}
