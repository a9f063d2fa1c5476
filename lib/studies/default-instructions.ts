import type { Criterion } from "@/lib/annotation/schemas";

/**
 * The default protocol, modelled on the human evaluation in Jayawardena & Yapa (2024): each
 * paraphrase is rated 1-5 on meaning preservation, fluency, lexical diversity and syntactic
 * diversity, then the annotator says which of the two they prefer. Researchers can edit both
 * per study; every edit becomes a new InstructionsVersion.
 */
export const DEFAULT_CRITERIA: Criterion[] = [
  {
    key: "meaning",
    label: "Meaning preservation",
    description:
      "Does the paraphrase say the same thing as the source: same facts, same people, same relations, nothing added or lost?",
    min: 1,
    max: 5,
    anchors: {
      "1": "Unrelated or contradicts the source.",
      "2": "Shares the topic, but a key fact is wrong or missing.",
      "3": "Main idea kept; a detail is lost, added or changed.",
      "4": "Same meaning; a slight shift in emphasis or nuance.",
      "5": "Exactly the same meaning.",
    },
  },
  {
    key: "fluency",
    label: "Fluency",
    description: "Is the paraphrase natural, grammatical English, judged on its own without looking at the source?",
    min: 1,
    max: 5,
    anchors: {
      "1": "Not understandable.",
      "2": "Understandable with effort; several errors.",
      "3": "Understandable; one clear error or awkward phrase.",
      "4": "Correct, slightly unnatural.",
      "5": "Correct and natural.",
    },
  },
  {
    key: "lexical_diversity",
    label: "Lexical diversity",
    description:
      "How different are the words from the source's words? Rate the wording only, not whether the meaning is kept.",
    min: 1,
    max: 5,
    anchors: {
      "1": "The same words as the source (a copy).",
      "2": "One word changed.",
      "3": "A few words or one phrase changed.",
      "4": "Most content words changed.",
      "5": "Almost all words different from the source.",
    },
  },
  {
    key: "syntactic_diversity",
    label: "Syntactic diversity",
    description:
      "How different is the sentence structure (word order, voice, clause order) from the source's? Rate the structure only.",
    min: 1,
    max: 5,
    anchors: {
      "1": "Same structure as the source.",
      "2": "A small reordering (one phrase moved).",
      "3": "One clear change (e.g. a clause moved to the front).",
      "4": "A major change (e.g. active to passive).",
      "5": "Completely restructured (several major changes).",
    },
  },
];

export const DEFAULT_INSTRUCTIONS = `# How to rate paraphrases

Thank you for helping. Each item shows a **source sentence** and **two paraphrases** of it, one
on the left and one on the right. They were written by different systems; you are not told
which, and the sides are shuffled for every item, so please judge only the text you see.

For **each paraphrase** give four ratings from 1 (worst or least) to 5 (best or most), then say
which paraphrase you **prefer overall**. There are no trick questions about grammar terms: go by
your reading of the sentences.

## The four ratings

The examples below all use this source:

> The children cleaned the kitchen after dinner.

### Meaning preservation: does it say the same thing?

- **5**: Exactly the same meaning. Example: *After dinner, the kitchen was cleaned by the children.*
- **4**: Same meaning, slight shift in emphasis. Example: *The kids tidied up the kitchen after dinner.*
- **3**: Main idea kept, a detail lost or changed. Example: *The children cleaned the kitchen.* (when is lost)
- **2**: Same topic, a key fact wrong. Example: *The children cleaned the kitchen before dinner.*
- **1**: Unrelated or contradicts the source. Example: *The children cooked dinner in the garden.*

### Fluency: is it natural, correct English?

Judge the paraphrase on its own, without looking at the source.

- **5**: Correct and natural. Example: *After dinner, the children cleaned the kitchen.*
- **4**: Correct, slightly unnatural. Example: *The kitchen was, after dinner, cleaned by the children.*
- **3**: One clear error or awkward phrase. Example: *The children was cleaning the kitchen after dinner.*
- **2**: Understandable with effort. Example: *Children kitchen cleaned after the dinner by.*
- **1**: Not understandable. Example: *Kitchen the after the by cleaned.*

### Lexical diversity: how different are the words?

Rate only the choice of words, not whether the meaning survived.

- **1**: The same words (a copy, even if reordered). Example: *After dinner, the children cleaned the kitchen.*
- **2**: One word changed. Example: *The children cleaned the kitchen after supper.*
- **3**: A few words or one phrase changed. Example: *The kids tidied the kitchen after dinner.*
- **4**: Most content words changed. Example: *The kids tidied up the cooking area after supper.*
- **5**: Almost all words different. Example: *Once the evening meal was over, the youngsters tidied up where food is made.*

### Syntactic diversity: how different is the structure?

Rate only the sentence structure: word order, active or passive voice, the order of clauses.

- **1**: Same structure. Example: *The kids tidied the kitchen after supper.*
- **2**: A small reordering. Example: *The children, after dinner, cleaned the kitchen.*
- **3**: One clear change (a phrase or clause moved to the front). Example: *After dinner, the children cleaned the kitchen.*
- **4**: A major change (active to passive). Example: *The kitchen was cleaned by the children after dinner.*
- **5**: Completely restructured. Example: *After dinner, the kitchen was cleaned by the children.*

## Overall preference

After the ratings, choose the paraphrase you would rather use as a paraphrase of the source:
**left**, **right**, or **tie** when you honestly cannot choose. A good paraphrase keeps the
meaning, reads naturally and says it in a different way; when the two differ on that, meaning
comes first.

## When something is wrong: flag it, don't guess

If the **source** itself is broken (cut off, not a sentence, not English) or a paraphrase is
**empty** or obviously not a paraphrase at all, do not guess ratings: press **Flag a problem**
and say what is wrong. If you cannot judge an item for another reason (for example, you do not
understand a word), use **Skip** and give the reason. Flagged and skipped items go to someone
else.

Some items are checks with a known answer, and a few contain an instruction addressed to you;
follow what the text asks.

## Keyboard

You can do everything with the keyboard:

- **1** to **5** rate the highlighted criterion and move to the next one (Tab moves too);
- **L**, **T**, **R** (or the **←**, **↓**, **→** arrow keys) choose left, tie or right;
- **Enter** submits the item;
- **?** opens these instructions again at any time.

The time you spend on each item is recorded while the page is visible; it pauses when you
switch tabs or leave the keyboard and mouse alone for a minute. Take breaks whenever you like.
`;
