/**
 * A few existing clinical notes per patient (US Core DocumentReference, category clinical-note, text/plain base64),
 * one of them HTML with a script and an onerror handler to prove that an app sanitises what it renders.
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import type { EncounterSpec, NoteSpec } from './factory.ts';
import { HOUR, MINUTE, NOTE_TYPES, clinicalNote, isoDate } from './factory.ts';
import type { PatientHistory } from './history.ts';
import { practitionerName } from './history.ts';
import type { SamplePractitioner } from './practitioners.ts';
import { PRACTITIONERS } from './practitioners.ts';

function nthFromEnd(
  history: PatientHistory,
  n: number,
  kind?: EncounterSpec['kind'],
): EncounterSpec | undefined {
  const visits = history.encounters.filter((spec) => kind === undefined || spec.kind === kind);
  return visits[visits.length - 1 - n];
}

function noteFor(
  history: PatientHistory,
  author: SamplePractitioner,
  visit: EncounterSpec | undefined,
  id: string,
  type: NoteSpec['type'],
  text: (visitDate: string) => string,
  contentType?: string,
): DocumentReference[] {
  if (!visit) return [];
  const patientId = history.patient.id ?? '';
  return [
    clinicalNote({
      id,
      patientId,
      authorId: author.id,
      authorName: practitionerName(author),
      encounter: visit,
      type,
      date: (visit.end ?? visit.start + HOUR) + 15 * MINUTE,
      text: text(isoDate(visit.start)),
      ...(contentType ? { contentType } : {}),
    }),
  ];
}

export function notesFor(
  key: string,
  history: PatientHistory,
  author: SamplePractitioner,
): DocumentReference[] {
  switch (key) {
    case 'adult-1':
      return [
        ...noteFor(
          history,
          author,
          nthFromEnd(history, 0, 'office'),
          'doc-adult-1-1',
          NOTE_TYPES.progress,
          (day) =>
            [
              `Progress note, ${day}.`,
              'S: Feels well. Checking glucose twice daily, fasting readings 110-130 mg/dL. No hypoglycaemia.',
              'O: BP at goal today. Weight down 8 kg over five years. Feet: normal monofilament.',
              'A: Type 2 diabetes, improving control (HbA1c trending to 6.8 %). Hypertension, controlled.',
              'P: Continue metformin 1000 mg twice daily and lisinopril 20 mg. HbA1c and BMP in 3 months.',
            ].join('\n'),
        ),
        ...noteFor(
          history,
          author,
          nthFromEnd(history, 4, 'office'),
          'doc-adult-1-2',
          NOTE_TYPES.consultation,
          (day) =>
            [
              `Endocrinology consultation, ${day}.`,
              'Reason: HbA1c above target despite metformin.',
              'Recommendation: add a GLP-1 receptor agonist if HbA1c stays above 7 % at the next visit; diet referral.',
            ].join('\n'),
        ),
      ];
    case 'adult-2':
      return noteFor(
        history,
        author,
        nthFromEnd(history, 0),
        'doc-adult-2-1',
        NOTE_TYPES.historyAndPhysical,
        (day) =>
          [
            `History and physical, ${day}.`,
            'HPI: 68-year-old man with hyperlipidaemia, former smoker (quit 2009), here for annual review.',
            'Exam: unremarkable. Labs: LDL improving on atorvastatin 40 mg.',
            'Plan: continue statin, repeat lipid panel in 4 months.',
          ].join('\n'),
      );
    case 'adult-3':
      return [
        ...noteFor(
          history,
          author,
          nthFromEnd(history, 0, 'office'),
          'doc-adult-3-1',
          NOTE_TYPES.progress,
          (day) =>
            [
              `Progress note, ${day}.`,
              'Iron-deficiency anaemia, improving on oral iron. Fatigue better.',
              'Plan: continue ferrous sulfate, CBC in 5 months. Smoking cessation discussed.',
            ].join('\n'),
        ),
        // HTML that a careless app would execute: the script and the onerror handler must never run.
        ...noteFor(
          history,
          author,
          nthFromEnd(history, 1, 'office'),
          'doc-adult-3-html',
          NOTE_TYPES.consultation,
          (day) =>
            `<html><body><h1>Haematology consultation</h1><p>Seen ${day}. Iron studies consistent with iron deficiency.</p>` +
            '<script>window.__sandboxNoteScriptRan = true;</script>' +
            '<img src="x" onerror="window.__sandboxNoteOnerrorRan = true"></body></html>',
          'text/html; charset=utf-8',
        ),
      ];
    case 'adult-4':
      return noteFor(
        history,
        author,
        nthFromEnd(history, 0, 'emergency'),
        'doc-adult-4-1',
        NOTE_TYPES.dischargeSummary,
        (day) =>
          [
            `Emergency department discharge summary, ${day}.`,
            'Presented with weakness; potassium 6.6 mmol/L (critical), sodium 118 mmol/L (critical).',
            'Treated with calcium gluconate, insulin/dextrose and fluid restriction; ECG changes resolved.',
            'Discharge: stop spironolactone; BMP in 3 days; nephrology follow-up.',
          ].join('\n'),
      );
    case 'child-1':
      return noteFor(history, author, nthFromEnd(history, 0), 'doc-child-1-1', NOTE_TYPES.progress, (day) =>
        [
          `Well child visit, ${day}.`,
          'Growth along the 60th centile for height and weight. Development appropriate for age.',
          'Immunisations up to date. Next well child visit in 6 months.',
        ].join('\n'),
      );
    case 'heavy':
      return [
        ...noteFor(
          history,
          PRACTITIONERS.intensivist,
          nthFromEnd(history, 0, 'icu'),
          'doc-heavy-1',
          NOTE_TYPES.historyAndPhysical,
          (day) =>
            [
              `ICU admission history and physical, ${day}.`,
              'Septic shock from a urinary source. Lactate 4.6 mmol/L, MAP 60 mmHg after 30 mL/kg crystalloid.',
              'Started norepinephrine, piperacillin-tazobactam. Arterial line placed; vitals every 2 minutes.',
            ].join('\n'),
        ),
        ...noteFor(
          history,
          author,
          nthFromEnd(history, 0, 'office'),
          'doc-heavy-2',
          NOTE_TYPES.progress,
          (day) =>
            [`Progress note, ${day}.`, 'Prediabetes progressing; HbA1c 7.2 %. Started metformin.'].join('\n'),
        ),
      ];
    default:
      return [];
  }
}
