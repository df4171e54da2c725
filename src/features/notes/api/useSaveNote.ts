/**
 * The save mutation: builds the DocumentReference from the draft and files it with the idempotent algorithm
 * (model/saveNote.ts). On success the notes list is read again from the server, so the new note shown is the
 * one the EHR holds; the draft is removed only then, and only if the EHR holds this text.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FhirError } from '../../../lib/fhir/errors.ts';
import { useSession } from '../../../session/session.ts';
import { reportSessionEnded } from '../../../session/sessionStatus.ts';
import { buildNoteDocumentReference, type NoteDocStatus } from '../model/documentReference.ts';
import type { DraftKey, DraftStore, NoteDraft } from '../model/draftStore.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../model/retryPolicy.ts';
import { saveNote, type NoteFiled, type SaveProgress } from '../model/saveNote.ts';
import { noteKeys } from './noteKeys.ts';
import { clientTransport } from './transport.ts';

export interface SaveNoteVariables {
  readonly draft: NoteDraft;
  readonly docStatus: NoteDocStatus;
  readonly draftKey: DraftKey;
  readonly onProgress?: (progress: SaveProgress) => void;
}

export interface UseSaveNoteOptions {
  /** Where the draft lives; removed from it once the EHR confirmed the note. */
  readonly drafts: DraftStore;
  readonly retryPolicy?: RetryPolicy;
  /** The signed-in clinician's name, written as the author's display. */
  readonly authorName?: string | undefined;
}

/** The save a draft whose last attempt may have reached the EHR must begin by looking for it. */
export function outcomeMayBeKnownToServer(draft: Pick<NoteDraft, 'lastSave'>): boolean {
  return draft.lastSave === 'outcome-unknown' || draft.lastSave === 'sending';
}

export function useSaveNote({ drafts, retryPolicy = DEFAULT_RETRY_POLICY, authorName }: UseSaveNoteOptions) {
  const session = useSession();
  const queryClient = useQueryClient();
  return useMutation<NoteFiled, FhirError, SaveNoteVariables>({
    mutationFn: async ({ draft, docStatus, onProgress }) => {
      if (!session.fhirUser) {
        // US Core and Oracle need the author; without `fhirUser` MOVO-X does not know who is writing.
        throw new FhirError(
          'forbidden',
          'MOVO-X does not know who is signed in, so it cannot name the author.',
        );
      }
      const resource = buildNoteDocumentReference({
        patientId: session.identity.patientId,
        practitionerRef: session.fhirUser,
        practitionerName: authorName,
        encounterId: session.encounterId,
        noteType: draft.noteType,
        title: draft.title,
        text: draft.text,
        docStatus,
        identifier: draft.id,
        now: new Date(),
        periodStart: new Date(draft.createdAt),
      });
      return saveNote(
        {
          resource,
          patientId: session.identity.patientId,
          identifier: draft.id,
          priorOutcomeUnknown: outcomeMayBeKnownToServer(draft),
        },
        clientTransport(session.client),
        { policy: retryPolicy, onSessionEnded: reportSessionEnded, ...(onProgress ? { onProgress } : {}) },
      );
    },
    // Here rather than in the component: these run even if the panel unmounted while the note was filing.
    onSuccess: async (filed, { draft, draftKey }) => {
      if (filed.matchesDraft) drafts.remove(draftKey, draft.id);
      await queryClient.invalidateQueries({ queryKey: noteKeys.list(session.identity) });
    },
    onError: async (error) => {
      // 409/412 may mean the note is there after all: show the list as the EHR has it.
      if (error.kind === 'conflict' || error.kind === 'precondition') {
        await queryClient.invalidateQueries({ queryKey: noteKeys.list(session.identity) });
      }
    },
  });
}
