//! `gpconnect appointment book|list|show|amend|cancel|reschedule`: Appointment Management
//! (SPEC 3.11–3.15) through the client library's safe workflows.

use gpconnect_client::appointments::{booking_ods, cancellation_reason, participant_id, slot_ids};
use gpconnect_client::fhir_urls::{DELIVERY_CHANNEL_EXTENSION, PRACTITIONER_ROLE_EXTENSION};
use gpconnect_client::{
    Amendment, BookingDetails, BookingOrganisation, ConfirmedBooking, GpConnectClient, Versioned,
    WorkflowError,
};
use gpconnect_domain::records::AppointmentStatus;
use gpconnect_domain::{FhirId, UkDateTime};
use gpconnect_fhir::{Appointment, Resource};
use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;
use serde_json::json;

use super::error::CliError;
use super::options::ConsumerOptions;
use super::patient::PatientChoice;
use super::slots::SlotWindow;
use super::text::{clock, fields, person_name, when, Table};
use super::{arguments, Output};

/// How far ahead `appointment list` looks by default.
const DEFAULT_LIST_DAYS: i32 = 90;
/// The cancellation reason `appointment reschedule` gives the old appointment by default.
const DEFAULT_RESCHEDULE_REASON: &str = "Rescheduled to another appointment";

/// `gpconnect appointment …`
#[derive(Debug, Clone, clap::Args)]
pub struct AppointmentArgs {
    #[command(flatten)]
    pub(super) options: ConsumerOptions,
    #[command(subcommand)]
    command: AppointmentCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
enum AppointmentCommand {
    /// Book free slots for a patient: check they are still free, book, and read the
    /// appointment back.
    ///
    /// The slots are looked up by a slot search over --from/--to (default: the next two
    /// weeks), sent as your organisation; use the same --org-type/--ods as the search that
    /// showed them. Several --slot book one longer appointment: they must be adjacent on one
    /// schedule (SPEC 3.11). A booking is sent once; if its answer is lost, the patient's
    /// appointments are checked before anything is sent again.
    Book(BookArgs),
    /// List a patient's appointments at the practice, cancelled ones included (SPEC 3.15).
    List(ListArgs),
    /// Show one appointment (SPEC 3.12).
    Show {
        /// The appointment's id.
        #[arg(value_name = "ID", value_parser = arguments::fhir_id)]
        id: FhirId,
    },
    /// Change an appointment's description and/or comment, the only details that can change
    /// (SPEC 3.13); the current version is read first and amended with If-Match.
    Amend(AmendArgs),
    /// Cancel an appointment, giving a reason (SPEC 3.14); its slots become free again.
    Cancel {
        /// The appointment's id.
        #[arg(value_name = "ID", value_parser = arguments::fhir_id)]
        id: FhirId,
        /// Why it is cancelled (shown to the practice).
        #[arg(long)]
        reason: String,
    },
    /// Move an appointment to other slots: book the new slots first, then cancel the old
    /// appointment, so the patient is never left without one.
    ///
    /// The new appointment keeps the old description and comment unless new ones are given.
    /// If the old appointment cannot be cancelled afterwards, the patient holds both and the
    /// error says which to cancel.
    Reschedule(RescheduleArgs),
}

#[derive(Debug, Clone, clap::Args)]
struct BookArgs {
    /// A free slot's id, from `gpconnect slots search`. Repeat for adjacent slots.
    #[arg(long = "slot", value_name = "ID", required = true, value_parser = arguments::fhir_id)]
    slots: Vec<FhirId>,
    #[command(flatten)]
    patient: PatientChoice,
    /// A brief description for the practice, at most 100 characters, no clinical detail.
    #[arg(long)]
    description: String,
    /// A comment for the practice, at most 500 characters.
    #[arg(long)]
    comment: Option<String>,
    #[command(flatten)]
    window: SlotWindow,
}

#[derive(Debug, Clone, clap::Args)]
struct ListArgs {
    #[command(flatten)]
    patient: PatientChoice,
    /// First day: yyyy-mm-dd, today, tomorrow or +N; not in the past [default: today].
    #[arg(long, value_name = "DATE", value_parser = arguments::day)]
    from: Option<Date>,
    /// Last day, in the same forms [default: 90 days after --from].
    #[arg(long, value_name = "DATE", value_parser = arguments::day)]
    to: Option<Date>,
}

#[derive(Debug, Clone, clap::Args)]
struct AmendArgs {
    /// The appointment's id.
    #[arg(value_name = "ID", value_parser = arguments::fhir_id)]
    id: FhirId,
    #[command(flatten)]
    change: Change,
}

/// What an amendment changes: at least one of the two.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = true)]
struct Change {
    /// The new description, at most 100 characters.
    #[arg(long)]
    description: Option<String>,
    /// The new comment, at most 500 characters.
    #[arg(long)]
    comment: Option<String>,
}

#[derive(Debug, Clone, clap::Args)]
struct RescheduleArgs {
    /// The appointment to move.
    #[arg(value_name = "ID", value_parser = arguments::fhir_id)]
    id: FhirId,
    /// A free slot's id for the new appointment. Repeat for adjacent slots.
    #[arg(long = "slot", value_name = "ID", required = true, value_parser = arguments::fhir_id)]
    slots: Vec<FhirId>,
    /// Why the old appointment is cancelled.
    #[arg(long, default_value = DEFAULT_RESCHEDULE_REASON)]
    reason: String,
    /// A new description (default: the old appointment's).
    #[arg(long)]
    description: Option<String>,
    /// A new comment (default: the old appointment's).
    #[arg(long)]
    comment: Option<String>,
    #[command(flatten)]
    window: SlotWindow,
}

/// An appointment, as the commands show it.
#[derive(Debug, Clone, Serialize)]
pub struct AppointmentView {
    /// The appointment's logical id.
    pub id: Option<String>,
    /// The version the practice holds (what an amendment or cancellation must match).
    pub version: Option<String>,
    /// booked, cancelled, …
    pub status: String,
    /// Start, UK local time with offset.
    pub start: Option<String>,
    /// End, UK local time with offset.
    pub end: Option<String>,
    /// The brief description.
    pub description: Option<String>,
    /// The comment.
    pub comment: Option<String>,
    /// Why it was cancelled.
    pub cancellation_reason: Option<String>,
    /// In-person, Telephone or Video.
    pub delivery_channel: Option<String>,
    /// The practice's slot type.
    pub slot_type: Option<String>,
    /// The practice's schedule type.
    pub schedule_type: Option<String>,
    /// The practitioner's role.
    pub practitioner_role: Option<String>,
    /// The patient's logical id.
    pub patient_id: Option<String>,
    /// The practitioner's logical id.
    pub practitioner_id: Option<String>,
    /// The location's logical id.
    pub location_id: Option<String>,
    /// The slots it holds.
    pub slot_ids: Vec<String>,
    /// The ODS code of the organisation that booked it.
    pub booking_organisation: Option<String>,
    /// When it was booked.
    pub created: Option<String>,
}

impl AppointmentView {
    /// The view of an appointment as the practice returned it.
    pub fn of(appointment: &Versioned<Appointment>) -> Self {
        let a = &appointment.resource;
        let extension = |url: &str| a.extension.iter().find(|e| e.url == url);
        Self {
            id: a.id.clone(),
            version: appointment.version_id.clone(),
            status: a.status.clone(),
            start: a.start.clone(),
            end: a.end.clone(),
            description: a.description.clone(),
            comment: a.comment.clone(),
            cancellation_reason: cancellation_reason(a).map(str::to_owned),
            delivery_channel: extension(DELIVERY_CHANNEL_EXTENSION)
                .and_then(|e| e.value_code.clone()),
            slot_type: a.service_type.first().and_then(|c| c.text.clone()),
            schedule_type: a.service_category.as_ref().and_then(|c| c.text.clone()),
            practitioner_role: extension(PRACTITIONER_ROLE_EXTENSION)
                .and_then(|e| e.value_codeable_concept.as_ref())
                .and_then(|c| c.coding.first())
                .and_then(|c| c.display.clone().or_else(|| c.code.clone())),
            patient_id: participant_id(a, "Patient").map(String::from),
            practitioner_id: participant_id(a, "Practitioner").map(String::from),
            location_id: participant_id(a, "Location").map(String::from),
            slot_ids: slot_ids(a).into_iter().map(String::from).collect(),
            booking_organisation: booking_ods(a),
            created: a.created.clone(),
        }
    }

    fn table(appointments: &[Self]) -> String {
        let mut table = Table::new(&[
            "ID",
            "STATUS",
            "START",
            "END",
            "CHANNEL",
            "TYPE",
            "DESCRIPTION",
        ]);
        for a in appointments {
            table.push(vec![
                a.id.clone().unwrap_or_default(),
                a.status.clone(),
                a.start.as_deref().map(when).unwrap_or_default(),
                a.end.as_deref().map(clock).unwrap_or_default(),
                a.delivery_channel.clone().unwrap_or_default(),
                a.slot_type.clone().unwrap_or_default(),
                a.description.clone().unwrap_or_default(),
            ]);
        }
        table.render()
    }

    /// Every detail, one per line; `names` are the practitioner and location names when known.
    fn details(&self, names: &Names) -> String {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let with_name = |id: &Option<String>, name: &Option<String>| match (id, name) {
            (Some(id), Some(name)) => format!("{name} ({id})"),
            (Some(id), None) => id.clone(),
            (None, _) => String::new(),
        };
        let times = match (&self.start, &self.end) {
            (Some(start), Some(end)) => format!("{} to {}", when(start), clock(end)),
            (Some(start), None) => when(start),
            _ => String::new(),
        };
        let mut practitioner = with_name(&self.practitioner_id, &names.practitioner);
        if let Some(role) = &self.practitioner_role {
            if !practitioner.is_empty() {
                practitioner.push_str(&format!(", {role}"));
            }
        }
        fields(&[
            ("appointment", opt(&self.id)),
            ("status", self.status.clone()),
            ("when", times),
            ("channel", opt(&self.delivery_channel)),
            ("slot type", opt(&self.slot_type)),
            ("schedule type", opt(&self.schedule_type)),
            ("practitioner", practitioner),
            ("location", with_name(&self.location_id, &names.location)),
            ("patient", opt(&self.patient_id)),
            ("description", opt(&self.description)),
            ("comment", opt(&self.comment)),
            ("cancelled because", opt(&self.cancellation_reason)),
            ("slots", self.slot_ids.join(", ")),
            ("booked by", opt(&self.booking_organisation)),
            (
                "booked at",
                self.created.as_deref().map(when).unwrap_or_default(),
            ),
            ("version", opt(&self.version)),
        ])
    }
}

/// The names of an appointment's practitioner and location, when they could be read.
#[derive(Debug)]
struct Names {
    practitioner: Option<String>,
    location: Option<String>,
}

impl Names {
    /// Reads the practitioner and location (SPEC 3.6, 3.9) for display. They only label ids
    /// that are shown anyway, so a failed read leaves the name out rather than failing the
    /// command.
    async fn read(client: &GpConnectClient, view: &AppointmentView) -> Self {
        let id = |v: &Option<String>| v.as_deref().and_then(|i| FhirId::parse(i).ok());
        let (practitioner_id, location_id) = (id(&view.practitioner_id), id(&view.location_id));
        let practitioner = async {
            match &practitioner_id {
                Some(pid) => client
                    .read_practitioner(pid)
                    .await
                    .ok()
                    .map(|p| person_name(&p.resource.name)),
                None => None,
            }
        };
        let location = async {
            match &location_id {
                Some(lid) => client
                    .read_location(lid)
                    .await
                    .ok()
                    .and_then(|l| l.resource.name),
                None => None,
            }
        };
        let (practitioner, location) = tokio::join!(practitioner, location);
        Self {
            practitioner,
            location,
        }
    }
}

pub(super) async fn run(args: AppointmentArgs) -> Result<Output, CliError> {
    let client = args.options.client()?;
    match args.command {
        AppointmentCommand::Book(book) => self::book(&client, book).await,
        AppointmentCommand::List(list) => self::list(&client, list).await,
        AppointmentCommand::Show { id } => show(&client, &id).await,
        AppointmentCommand::Amend(amend) => self::amend(&client, amend).await,
        AppointmentCommand::Cancel { id, reason } => cancel(&client, &id, &reason).await,
        AppointmentCommand::Reschedule(reschedule) => self::reschedule(&client, reschedule).await,
    }
}

/// The configured organisation as the booking organisation (SPEC 3.11: it needs a telephone).
fn booking_organisation(client: &GpConnectClient) -> Result<BookingOrganisation, CliError> {
    BookingOrganisation::from_config(&client.config().organisation).map_err(|e| {
        CliError::from(e).with_hint(
            "set organisation.telephone in the --config file, or GPCONNECT_ORGANISATION_TELEPHONE",
        )
    })
}

async fn book(client: &GpConnectClient, args: BookArgs) -> Result<Output, CliError> {
    let booking_organisation = booking_organisation(client)?;
    let patient_id = args.patient.resolve(client).await?;
    let (slots, search) = args.window.find(client, &args.slots).await?;
    let details = BookingDetails {
        patient_id,
        description: args.description,
        comment: args.comment,
        booking_organisation,
    };
    let booked = client.book_and_confirm(&slots, &details, &search).await?;
    Ok(booked_output(client, &booked, "Booked").await)
}

async fn booked_output(client: &GpConnectClient, booked: &ConfirmedBooking, verb: &str) -> Output {
    let view = AppointmentView::of(&booked.appointment);
    let names = Names::read(client, &view).await;
    let mut text = format!(
        "{verb} appointment {} at {}.\n",
        view.id.as_deref().unwrap_or("(no id)"),
        client.config().base_url
    );
    if booked.recovered {
        text.push_str(
            "The booking's answer was lost; the appointment was found among the patient's \
             appointments.\n",
        );
    }
    text.push_str(&view.details(&names));
    Output::new(
        text,
        json!({ "appointment": view, "recovered": booked.recovered }),
    )
}

async fn list(client: &GpConnectClient, args: ListArgs) -> Result<Output, CliError> {
    let from = match args.from {
        Some(from) => from,
        None => UkDateTime::now().uk_date(),
    };
    let to = match args.to {
        Some(to) => to,
        None => from
            .checked_add(DEFAULT_LIST_DAYS.days())
            .map_err(|e| CliError::new(format!("the end of the range: {e}")))?,
    };
    let patient_id = args.patient.resolve(client).await?;
    let appointments: Vec<AppointmentView> = client
        .patient_appointments(&patient_id, from, to)
        .await?
        .iter()
        .map(AppointmentView::of)
        .collect();
    let text = if appointments.is_empty() {
        format!("Patient {patient_id} has no appointments from {from} to {to}.\n")
    } else {
        AppointmentView::table(&appointments)
    };
    Ok(Output::new(
        text,
        json!({
            "patient_id": patient_id,
            "from": from.to_string(),
            "to": to.to_string(),
            "appointments": appointments,
        }),
    ))
}

async fn show(client: &GpConnectClient, id: &FhirId) -> Result<Output, CliError> {
    let appointment = client.read_appointment(id).await?;
    let view = AppointmentView::of(&appointment);
    let names = Names::read(client, &view).await;
    let resource = serde_json::to_value(Resource::from(appointment.resource.clone()))
        .map_err(|e| CliError::new(format!("the appointment cannot be shown as JSON: {e}")))?;
    Ok(Output::new(
        view.details(&names),
        json!({
            "appointment": view,
            "practitioner": names.practitioner,
            "location": names.location,
            "resource": resource,
        }),
    ))
}

async fn amend(client: &GpConnectClient, args: AmendArgs) -> Result<Output, CliError> {
    let amendment = Amendment {
        description: args.change.description,
        comment: args.change.comment,
    };
    let amended = client.amend_latest(&args.id, &amendment).await?;
    let view = AppointmentView::of(&amended);
    let names = Names::read(client, &view).await;
    let text = format!("Amended appointment {}.\n{}", args.id, view.details(&names));
    Ok(Output::new(text, json!({ "appointment": view })))
}

/// The appointment `id` if it is still booked; a cancelled one cannot change (SPEC 3.13,
/// 3.14), which is better said before sending anything.
async fn read_booked(
    client: &GpConnectClient,
    id: &FhirId,
    doing: &str,
) -> Result<Versioned<Appointment>, CliError> {
    let current = client.read_appointment(id).await?;
    if current.resource.status == AppointmentStatus::Cancelled.code() {
        let reason = cancellation_reason(&current.resource)
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        return Err(CliError::new(format!(
            "appointment {id} is already cancelled{reason}, so there is nothing to {doing}"
        ))
        .with_hint("book a new appointment with `gpconnect appointment book`"));
    }
    Ok(current)
}

async fn cancel(client: &GpConnectClient, id: &FhirId, reason: &str) -> Result<Output, CliError> {
    if reason.trim().is_empty() {
        return Err(CliError::new(
            "a cancellation needs a reason (--reason TEXT)",
        ));
    }
    let current = read_booked(client, id, "cancel").await?;
    let cancelled = client.cancel_appointment(&current, reason).await?;
    let view = AppointmentView::of(&cancelled);
    let names = Names::read(client, &view).await;
    let text = format!(
        "Cancelled appointment {id}; its slots are free again.\n{}",
        view.details(&names)
    );
    Ok(Output::new(text, json!({ "appointment": view })))
}

async fn reschedule(client: &GpConnectClient, args: RescheduleArgs) -> Result<Output, CliError> {
    let booking_organisation = booking_organisation(client)?;
    let old = read_booked(client, &args.id, "reschedule").await?;
    let patient_id = participant_id(&old.resource, "Patient").ok_or_else(|| {
        CliError::new(format!(
            "appointment {} names no patient, so it cannot be moved",
            args.id
        ))
    })?;
    let description = match args
        .description
        .or_else(|| old.resource.description.clone())
    {
        Some(d) => d,
        None => {
            return Err(CliError::new(format!(
                "appointment {} has no description to carry over; give --description",
                args.id
            )))
        }
    };
    let (slots, search) = args.window.find(client, &args.slots).await?;
    let details = BookingDetails {
        patient_id,
        description,
        comment: args.comment.or_else(|| old.resource.comment.clone()),
        booking_organisation,
    };
    let moved = client
        .rebook(&old, &slots, &details, &search, &args.reason)
        .await
        .map_err(|e| {
            let not_cancelled = matches!(e, WorkflowError::OldAppointmentNotCancelled { .. });
            let error = CliError::from(e);
            if not_cancelled {
                error.with_hint(format!(
                    "the patient now holds both appointments: cancel the old one with \
                     `gpconnect appointment cancel {} --reason TEXT`",
                    args.id
                ))
            } else {
                error
            }
        })?;
    let mut output = booked_output(client, &moved.new_appointment, "Booked new").await;
    let cancelled = AppointmentView::of(&moved.cancelled);
    output.text.push_str(&format!(
        "Cancelled the old appointment {} ({}).\n",
        args.id, args.reason
    ));
    output.json["cancelled"] = json!(cancelled);
    Ok(output)
}
