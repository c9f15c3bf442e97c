//! Consumer workflows built on the interactions, written so that a patient is never left
//! double-booked by a retry or without an appointment by a half-finished change.
//!
//! # Booking: check, book, confirm ([`GpConnectClient::book_and_confirm`])
//!
//! 1. Just before booking, the chosen slots are searched for again over exactly their own time
//!    range; if any is no longer offered the booking stops with
//!    [`WorkflowError::SlotNoLongerFree`] and nothing is sent.
//! 2. The booking is POSTed once. It is not retried blindly: a POST whose answer was lost may
//!    have been applied.
//! 3. After an ambiguous failure (timeout after sending, broken connection, 5xx: see
//!    [`ClientError::outcome_unknown`]) the patient's appointments on the slots' dates are
//!    retrieved. A booked appointment holding the chosen slots means the booking was made: it is
//!    used. None means it was not: the POST is sent once more. That is safe because the slot
//!    itself guards against a double booking: the provider books a slot at most once and
//!    answers 409 `DUPLICATE_REJECTED` otherwise (SPEC 3.11). After that second attempt fails
//!    with a 409 or ambiguously, the appointments are checked once more. If the check itself
//!    fails, [`WorkflowError::OutcomeUnknown`] says so and the consumer must look before
//!    booking again.
//! 4. The booked appointment is read back and compared with what was sent
//!    ([`crate::appointments::differences`]); a difference is [`WorkflowError::ReadBackMismatch`],
//!    which carries the booked appointment.
//!
//! # Amending ([`GpConnectClient::amend_latest`])
//!
//! Read the appointment, then amend that version with `If-Match`. A 409 means someone changed it
//! in between: the error is returned rather than overwriting their change.
//!
//! # Moving an appointment ([`GpConnectClient::rebook`])
//!
//! The new slot is booked (and confirmed) **first**, and the old appointment is cancelled only
//! once the new one exists. If the new booking fails, the patient keeps the old appointment. If
//! the cancellation then fails, the patient holds both, which a person can resolve, and
//! [`WorkflowError::OldAppointmentNotCancelled`] carries the new appointment; cancelling first
//! could leave the patient with nothing when the new slot is taken in between.
//!
//! # Searching several practices ([`GpConnectClient::search_practices`])
//!
//! One search per practice, at most `max_parallel` at a time, each with its own result: one
//! practice being down does not hide the others' slots.

use std::collections::HashSet;
use std::sync::Arc;

use gpconnect_domain::records::AppointmentStatus;
use gpconnect_domain::{FhirId, SpineCode, UkDateTime};
use gpconnect_fhir::Appointment;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::appointments::{build_appointment, differences, slot_ids, Amendment, BookingDetails};
use crate::client::GpConnectClient;
use crate::config::ProviderEndpoint;
use crate::error::ClientError;
use crate::response::Versioned;
use crate::slots::{FreeSlot, FreeSlots, SlotSearch};

/// Why a workflow stopped.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// An interaction failed; nothing was changed by this workflow beyond what the error says.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// A chosen slot is no longer offered as free; nothing was booked.
    #[error("slot(s) {} are no longer free", .slot_ids.join(", "))]
    SlotNoLongerFree {
        /// The slots that were not found free.
        slot_ids: Vec<String>,
    },
    /// The booking was made but the provider's copy differs from what was sent.
    #[error("appointment {} was booked but differs from the request: {}", appointment_label(.appointment), .differences.join("; "))]
    ReadBackMismatch {
        /// The appointment as read back.
        appointment: Box<Versioned<Appointment>>,
        /// What differs.
        differences: Vec<String>,
    },
    /// The booking request failed ambiguously and checking the patient's appointments failed
    /// too: the slot may or may not be booked. Look before booking again.
    #[error("the booking may or may not have been made ({source}); {}", recheck_text(.recheck))]
    OutcomeUnknown {
        /// The failure of the booking request.
        source: ClientError,
        /// Why checking failed; `None` when the check worked but did not show the booking.
        recheck: Option<ClientError>,
    },
    /// The new appointment was booked but the old one could not be cancelled: the patient
    /// holds both.
    #[error("the new appointment {} was booked but the old one could not be cancelled: {source}", appointment_label(.new_appointment))]
    OldAppointmentNotCancelled {
        /// The new appointment.
        new_appointment: Box<Versioned<Appointment>>,
        /// Why the cancellation failed.
        source: ClientError,
    },
}

fn recheck_text(recheck: &Option<ClientError>) -> String {
    match recheck {
        Some(e) => format!("checking the patient's appointments failed: {e}"),
        None => "the patient's appointments do not show it yet".to_owned(),
    }
}

fn appointment_label(appointment: &Versioned<Appointment>) -> &str {
    appointment.resource.id.as_deref().unwrap_or("(no id)")
}

/// A booking that was made and read back unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmedBooking {
    /// The appointment as read back after booking.
    pub appointment: Versioned<Appointment>,
    /// Whether the booking request failed ambiguously and the appointment was found by
    /// checking the patient's appointments afterwards.
    pub recovered: bool,
}

/// The outcome of moving an appointment.
#[derive(Debug, Clone, PartialEq)]
pub struct Rebooked {
    /// The new appointment, confirmed.
    pub new_appointment: ConfirmedBooking,
    /// The old appointment, now cancelled.
    pub cancelled: Versioned<Appointment>,
}

/// One practice's answer in a multi-practice search.
#[derive(Debug)]
pub struct PracticeSlots {
    /// The practice searched.
    pub endpoint: ProviderEndpoint,
    /// Its free slots, or why they could not be had.
    pub result: Result<FreeSlots, ClientError>,
}

impl GpConnectClient {
    /// Books `slots` for the patient safely: re-checks that they are still free, books once,
    /// recovers from an ambiguous failure by looking at the patient's appointments, and reads
    /// the appointment back (see the module documentation).
    pub async fn book_and_confirm(
        &self,
        slots: &[FreeSlot],
        details: &BookingDetails,
        search: &SlotSearch,
    ) -> Result<ConfirmedBooking, WorkflowError> {
        let appointment = build_appointment(slots, details, UkDateTime::now())?;
        self.check_still_free(slots, search).await?;
        let (booked, recovered) = self
            .book_once_or_recover(&appointment, details, slots)
            .await?;
        let id = booked
            .resource
            .id
            .as_deref()
            .and_then(|id| FhirId::parse(id).ok())
            .ok_or_else(|| ClientError::UnexpectedResponse {
                interaction: gpconnect_domain::Interaction::BookAppointment,
                message: "the booked appointment has no logical id".into(),
            })?;
        let read_back = self.read_appointment(&id).await?;
        let found = differences(&appointment, &read_back.resource);
        if !found.is_empty() {
            return Err(WorkflowError::ReadBackMismatch {
                appointment: Box::new(read_back),
                differences: found,
            });
        }
        Ok(ConfirmedBooking {
            appointment: read_back,
            recovered,
        })
    }

    /// Searches again over exactly the chosen slots' time range, with the same filters.
    async fn check_still_free(
        &self,
        slots: &[FreeSlot],
        search: &SlotSearch,
    ) -> Result<(), WorkflowError> {
        let (Some(start), Some(end)) = (
            slots.iter().map(|s| s.start).min(),
            slots.iter().map(|s| s.end).max(),
        ) else {
            return Err(ClientError::InvalidInput("no slot was chosen".into()).into());
        };
        let recheck = SlotSearch {
            start: start.into(),
            end: end.into(),
            ..search.clone()
        };
        let offered = self.search_free_slots(&recheck).await?;
        let missing: Vec<String> = slots
            .iter()
            .filter(|s| offered.get(s.id.as_str()).is_none())
            .map(|s| s.id.to_string())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(WorkflowError::SlotNoLongerFree { slot_ids: missing })
        }
    }

    /// Books once; after an ambiguous failure, looks before booking again (module docs, 3).
    async fn book_once_or_recover(
        &self,
        appointment: &Appointment,
        details: &BookingDetails,
        slots: &[FreeSlot],
    ) -> Result<(Versioned<Appointment>, bool), WorkflowError> {
        let first = match self.book_appointment(appointment).await {
            Ok(booked) => return Ok((booked, false)),
            Err(e) if e.outcome_unknown() => e,
            Err(e) => return Err(e.into()),
        };
        tracing::warn!(error = %first, "booking outcome unknown; checking the patient's appointments");
        match self.find_booking(details, slots).await {
            Ok(Some(found)) => return Ok((found, true)),
            Ok(None) => {}
            Err(recheck) => {
                return Err(WorkflowError::OutcomeUnknown {
                    source: first,
                    recheck: Some(recheck),
                })
            }
        }
        let second = match self.book_appointment(appointment).await {
            Ok(booked) => return Ok((booked, true)),
            Err(e)
                if e.outcome_unknown() || e.spine_code() == Some(SpineCode::DuplicateRejected) =>
            {
                e
            }
            Err(e) => return Err(e.into()),
        };
        match self.find_booking(details, slots).await {
            Ok(Some(found)) => Ok((found, true)),
            // A 409 with no appointment of ours on the slot: someone else took it.
            Ok(None) if second.spine_code() == Some(SpineCode::DuplicateRejected) => {
                Err(second.into())
            }
            Ok(None) => Err(WorkflowError::OutcomeUnknown {
                source: second,
                recheck: None,
            }),
            Err(recheck) => Err(WorkflowError::OutcomeUnknown {
                source: second,
                recheck: Some(recheck),
            }),
        }
    }

    /// The patient's booked appointment holding all of `slots`, if any.
    async fn find_booking(
        &self,
        details: &BookingDetails,
        slots: &[FreeSlot],
    ) -> Result<Option<Versioned<Appointment>>, ClientError> {
        let wanted: HashSet<&str> = slots.iter().map(|s| s.id.as_str()).collect();
        let (Some(from), Some(to)) = (
            slots.iter().map(|s| s.start.uk_date()).min(),
            slots.iter().map(|s| s.start.uk_date()).max(),
        ) else {
            return Ok(None);
        };
        let appointments = self
            .patient_appointments(&details.patient_id, from, to)
            .await?;
        Ok(appointments.into_iter().find(|a| {
            a.resource.status == AppointmentStatus::Booked.code() && {
                let held: HashSet<String> = slot_ids(&a.resource)
                    .into_iter()
                    .map(String::from)
                    .collect();
                wanted.iter().all(|w| held.contains(*w))
            }
        }))
    }

    /// Reads the appointment's current version and amends it with `If-Match` (SPEC 3.13).
    pub async fn amend_latest(
        &self,
        id: &FhirId,
        amendment: &Amendment,
    ) -> Result<Versioned<Appointment>, WorkflowError> {
        let current = self.read_appointment(id).await?;
        Ok(self.amend_appointment(&current, amendment).await?)
    }

    /// Moves the patient from `old` to `new_slots`: books and confirms the new appointment
    /// first, then cancels the old one with `reason` (see the module documentation for why
    /// in this order). A cancellation refused because the old appointment changed meanwhile
    /// (409) is retried once on its current version, unless it is already cancelled.
    pub async fn rebook(
        &self,
        old: &Versioned<Appointment>,
        new_slots: &[FreeSlot],
        details: &BookingDetails,
        search: &SlotSearch,
        reason: &str,
    ) -> Result<Rebooked, WorkflowError> {
        if reason.trim().is_empty() {
            return Err(ClientError::InvalidInput("a cancellation needs a reason".into()).into());
        }
        let old_id = old
            .resource
            .id
            .as_deref()
            .and_then(|id| FhirId::parse(id).ok())
            .ok_or_else(|| {
                ClientError::InvalidInput("the appointment to move has no logical id".into())
            })?;
        let new_appointment = self.book_and_confirm(new_slots, details, search).await?;
        match self.cancel_with_one_refresh(old, &old_id, reason).await {
            Ok(cancelled) => Ok(Rebooked {
                new_appointment,
                cancelled,
            }),
            Err(source) => Err(WorkflowError::OldAppointmentNotCancelled {
                new_appointment: Box::new(new_appointment.appointment),
                source,
            }),
        }
    }

    async fn cancel_with_one_refresh(
        &self,
        old: &Versioned<Appointment>,
        old_id: &FhirId,
        reason: &str,
    ) -> Result<Versioned<Appointment>, ClientError> {
        match self.cancel_appointment(old, reason).await {
            Err(e) if e.status() == Some(409) => {
                let current = self.read_appointment(old_id).await?;
                if current.resource.status == AppointmentStatus::Cancelled.code() {
                    return Ok(current);
                }
                self.cancel_appointment(&current, reason).await
            }
            other => other,
        }
    }

    /// Searches several practices at once with this client's identity, at most `max_parallel`
    /// at a time (at least one). Results come back in the order of `endpoints`, each with its
    /// own success or error.
    pub async fn search_practices(
        &self,
        endpoints: &[ProviderEndpoint],
        search: &SlotSearch,
        max_parallel: usize,
    ) -> Vec<PracticeSlots> {
        let permits = Arc::new(Semaphore::new(max_parallel.max(1)));
        let mut tasks = JoinSet::new();
        for (index, endpoint) in endpoints.iter().enumerate() {
            let client = self.for_provider(endpoint);
            let search = search.clone();
            let permits = permits.clone();
            tasks.spawn(async move {
                let result = match client {
                    Ok(client) => match permits.acquire_owned().await {
                        Ok(_permit) => client.search_free_slots(&search).await,
                        Err(_) => Err(ClientError::Aborted(
                            "the practice search was stopped".into(),
                        )),
                    },
                    Err(e) => Err(e),
                };
                (index, result)
            });
        }
        let mut results: Vec<Option<Result<FreeSlots, ClientError>>> =
            endpoints.iter().map(|_| None).collect();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok((index, result)) => {
                    if let Some(place) = results.get_mut(index) {
                        *place = Some(result);
                    }
                }
                Err(e) => tracing::error!(error = %e, "a practice search task failed"),
            }
        }
        endpoints
            .iter()
            .zip(results)
            .map(|(endpoint, result)| PracticeSlots {
                endpoint: endpoint.clone(),
                result: result.unwrap_or_else(|| {
                    Err(ClientError::Aborted(
                        "the search of this practice did not complete".into(),
                    ))
                }),
            })
            .collect()
    }
}
