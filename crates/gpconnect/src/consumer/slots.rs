//! `gpconnect slots search`: free slots at one practice, or at several at once (SPEC 3.10), and
//! the search range and filters that booking and rescheduling share.

use gpconnect_client::fhir_urls::ODS_CODE_SYSTEM;
use gpconnect_client::{
    ClientConfig, FreeSlot, FreeSlots, GpConnectClient, PracticeSlots, ProviderEndpoint,
    SearchBound, SlotSearch,
};
use gpconnect_domain::records::OrgType;
use gpconnect_domain::{FhirId, OdsCode};
use serde::Serialize;
use serde_json::{json, Value};

use super::error::CliError;
use super::options::ConsumerOptions;
use super::text::{clock, person_name, when, Table};
use super::{arguments, Output, EXIT_FAILURE, EXIT_PARTIAL};

/// How many practices are searched at the same time by default.
const DEFAULT_PARALLEL: usize = 8;

/// `gpconnect slots …`
#[derive(Debug, Clone, clap::Args)]
pub struct SlotsArgs {
    #[command(flatten)]
    pub(super) options: ConsumerOptions,
    #[command(subcommand)]
    command: SlotsCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
enum SlotsCommand {
    /// Search for free slots at the configured practice, or at several practices at once.
    ///
    /// The search is sent as your organisation (its ODS code, and --org-type when given):
    /// practices offer some slots only to certain organisations or organisation types
    /// (SPEC 5). With --practice, each practice is searched concurrently with the same
    /// identity and reported on its own: when some practices cannot be searched, their errors
    /// are reported with the others' slots and the exit status is 3 (1 when none could be).
    Search(SearchArgs),
}

#[derive(Debug, Clone, clap::Args)]
struct SearchArgs {
    #[command(flatten)]
    window: SlotWindow,
    /// Search this practice instead of the configured one: its service root and endpoint
    /// ASID as BASE_URL=ASID. Repeat to search several practices at once.
    #[arg(long = "practice", value_name = "BASE_URL=ASID", value_parser = arguments::endpoint)]
    practices: Vec<ProviderEndpoint>,
    /// How many practices to search at the same time.
    #[arg(long, default_value_t = DEFAULT_PARALLEL, value_name = "N")]
    max_parallel: usize,
}

/// The range and filters of a slot search (SPEC 3.10).
#[derive(Debug, Clone, clap::Args)]
pub struct SlotWindow {
    /// Start of the search: yyyy-mm-dd, today, tomorrow, +N (days from today), or a UK
    /// date-time yyyy-mm-ddThh:mm:ss+hh:mm [default: today].
    #[arg(long, value_name = "DATE", value_parser = arguments::bound)]
    from: Option<SearchBound>,
    /// End of the search, in the same forms; a date includes the whole day. At most two
    /// weeks after --from [default: two weeks after --from].
    #[arg(long, value_name = "DATE", value_parser = arguments::bound)]
    to: Option<SearchBound>,
    /// Search as this organisation type: gp-practice or urgent-care. Slots kept for an
    /// organisation type are offered only to it.
    #[arg(long, value_name = "TYPE", value_parser = arguments::org_type)]
    org_type: Option<OrgType>,
    /// Search as this ODS code [default: the configured organisation's, organisation.ods_code].
    #[arg(long, value_name = "CODE", value_parser = arguments::ods_code)]
    ods: Option<OdsCode>,
}

impl SlotWindow {
    /// The search these options describe, for the organisation in `config`.
    pub fn search(&self, config: &ClientConfig) -> Result<SlotSearch, CliError> {
        let from = match self.from {
            Some(from) => from,
            None => arguments::day("today")
                .map(SearchBound::Date)
                .map_err(CliError::new)?,
        };
        let to = match self.to {
            Some(to) => to,
            None => arguments::two_weeks_after(from).map_err(CliError::new)?,
        };
        // SPEC 3.10: consumers SHOULD send their ODS code (and organisation type).
        let ods = self
            .ods
            .clone()
            .unwrap_or_else(|| config.organisation.ods_code.clone());
        Ok(SlotSearch::new(from, to).for_consumer(ods, self.org_type))
    }

    /// The free slots `ids` at the practice `client` calls, found by searching this window
    /// (GP Connect has no slot read: a slot is known only through a search).
    pub async fn find(
        &self,
        client: &GpConnectClient,
        ids: &[FhirId],
    ) -> Result<(Vec<FreeSlot>, SlotSearch), CliError> {
        let search = self.search(client.config())?;
        let free = client.search_free_slots(&search).await?;
        let missing: Vec<&str> = ids
            .iter()
            .filter(|id| free.get(id.as_str()).is_none())
            .map(FhirId::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(CliError::new(format!(
                "slot {} is not free for you between {} and {}",
                missing.join(", "),
                bound_text(search.start),
                bound_text(search.end)
            ))
            .with_hint(
                "it may have been taken by someone else: search again (`gpconnect slots search`) \
                 and choose another slot; a slot found with --from/--to/--org-type/--ods needs \
                 the same options here",
            ));
        }
        let slots = ids
            .iter()
            .filter_map(|id| free.get(id.as_str()).cloned())
            .collect();
        Ok((slots, search))
    }
}

fn bound_text(bound: SearchBound) -> String {
    match bound {
        SearchBound::Date(d) => d.to_string(),
        SearchBound::DateTime(t) => t.to_string(),
    }
}

/// A free slot, as the commands show it (SPEC 3.10 display rules: time, delivery channel,
/// slot and schedule type, practitioner, location).
#[derive(Debug, Clone, Serialize)]
pub struct SlotView {
    /// The slot's logical id (what `appointment book --slot` takes).
    pub id: String,
    /// Start, UK local time with offset.
    pub start: String,
    /// End, UK local time with offset.
    pub end: String,
    /// Minutes from start to end.
    pub minutes: i64,
    /// In-person, Telephone or Video.
    pub delivery_channel: Option<String>,
    /// The practice's slot type.
    pub slot_type: Option<String>,
    /// The practice's schedule type or session name.
    pub schedule_type: Option<String>,
    /// The schedule's logical id.
    pub schedule_id: String,
    /// The practitioner's name, when the schedule has one.
    pub practitioner: Option<String>,
    /// The practitioner's logical id.
    pub practitioner_id: Option<String>,
    /// The practitioner's role (SDS job role display).
    pub practitioner_role: Option<String>,
    /// Where the appointment takes place.
    pub location: Option<String>,
    /// The location's logical id.
    pub location_id: Option<String>,
    /// The ODS code of the practice offering the slot.
    pub practice_ods: Option<String>,
}

impl SlotView {
    fn of(slot: &FreeSlot) -> Self {
        let minutes = (slot.end.unix_seconds() - slot.start.unix_seconds()) / 60;
        Self {
            id: slot.id.to_string(),
            start: slot.start.to_string(),
            end: slot.end.to_string(),
            minutes,
            delivery_channel: slot.delivery_channel.clone(),
            slot_type: slot.slot_type.clone(),
            schedule_type: slot.schedule_type.clone(),
            schedule_id: slot.schedule_id.to_string(),
            practitioner: slot.practitioner.as_ref().map(|p| person_name(&p.name)),
            practitioner_id: slot.practitioner_id.as_ref().map(ToString::to_string),
            practitioner_role: slot
                .practitioner_role
                .as_ref()
                .and_then(|c| c.display.clone().or_else(|| c.code.clone())),
            location: slot.location.as_ref().and_then(|l| l.name.clone()),
            location_id: slot.location_id.as_ref().map(ToString::to_string),
            practice_ods: slot.organization.as_ref().and_then(|o| {
                o.identifier
                    .iter()
                    .find(|i| i.system.as_deref() == Some(ODS_CODE_SYSTEM))
                    .and_then(|i| i.value.clone())
            }),
        }
    }

    fn table(slots: &[Self]) -> String {
        let mut table = Table::new(&[
            "SLOT",
            "START",
            "END",
            "MINS",
            "CHANNEL",
            "TYPE",
            "PRACTITIONER",
            "LOCATION",
        ]);
        for s in slots {
            let kind = match (&s.slot_type, &s.schedule_type) {
                (Some(slot), Some(schedule)) => format!("{slot} ({schedule})"),
                (Some(one), None) | (None, Some(one)) => one.clone(),
                (None, None) => String::new(),
            };
            let practitioner = match (&s.practitioner, &s.practitioner_role) {
                (Some(name), Some(role)) => format!("{name}, {role}"),
                (Some(one), None) | (None, Some(one)) => one.clone(),
                (None, None) => String::new(),
            };
            table.push(vec![
                s.id.clone(),
                when(&s.start),
                clock(&s.end),
                s.minutes.to_string(),
                s.delivery_channel.clone().unwrap_or_default(),
                kind,
                practitioner,
                s.location.clone().unwrap_or_default(),
            ]);
        }
        table.render()
    }
}

pub(super) async fn run(args: SlotsArgs) -> Result<Output, CliError> {
    let SlotsCommand::Search(search) = args.command;
    if search.practices.is_empty() {
        let client = args.options.client()?;
        let query = search.window.search(client.config())?;
        // A single practice's failure is the command's failure.
        let free = client.search_free_slots(&query).await?;
        let practice = PracticeSlots {
            endpoint: client.config().endpoint(),
            result: Ok(free),
        };
        return Ok(report(vec![practice], &query));
    }
    // With --practice, the configured practice need not be set: the first listed one stands
    // in for it (every practice is searched through `search_practices`).
    let mut source = args.options.source()?;
    if let Some(first) = search.practices.first() {
        source
            .base_url
            .get_or_insert_with(|| first.base_url.clone());
        source
            .provider_asid
            .get_or_insert_with(|| first.provider_asid.to_string());
    }
    let client = GpConnectClient::new(source.build()?)?;
    let query = search.window.search(client.config())?;
    let results = client
        .search_practices(&search.practices, &query, search.max_parallel)
        .await;
    Ok(report(results, &query))
}

/// The slots (or error) of every practice searched, in the order they were given.
fn report(practices: Vec<PracticeSlots>, search: &SlotSearch) -> Output {
    let range = format!("{} to {}", bound_text(search.start), bound_text(search.end));
    let several = practices.len() > 1;
    let mut text = String::new();
    let mut entries: Vec<Value> = Vec::new();
    let mut failed = 0;
    for practice in practices {
        let endpoint = &practice.endpoint;
        match practice.result {
            Ok(free) => {
                let slots: Vec<SlotView> = free.slots.iter().map(SlotView::of).collect();
                if several {
                    text.push_str(&format!(
                        "{} (ASID {}): {} free slot{}\n",
                        endpoint.base_url,
                        endpoint.provider_asid,
                        slots.len(),
                        if slots.len() == 1 { "" } else { "s" }
                    ));
                }
                text.push_str(&slots_text(&free, &slots, &range));
                entries.push(json!({
                    "base_url": endpoint.base_url,
                    "provider_asid": endpoint.provider_asid,
                    "slots": slots,
                }));
            }
            Err(error) => {
                failed += 1;
                let error = CliError::from(error);
                text.push_str(&format!(
                    "{} (ASID {}): could not be searched\n{}",
                    endpoint.base_url,
                    endpoint.provider_asid,
                    error.text()
                ));
                let mut entry = error.json();
                entry["base_url"] = json!(endpoint.base_url);
                entry["provider_asid"] = json!(endpoint.provider_asid);
                entries.push(entry);
            }
        }
        if several {
            text.push('\n');
        }
    }
    let searched = entries.len();
    let json = json!({
        "from": bound_text(search.start),
        "to": bound_text(search.end),
        "practices": entries,
    });
    let mut output = Output::new(text, json);
    if failed > 0 {
        output.status = if failed == searched {
            EXIT_FAILURE
        } else {
            EXIT_PARTIAL
        };
    }
    output
}

fn slots_text(free: &FreeSlots, slots: &[SlotView], range: &str) -> String {
    if free.is_empty() {
        let mut text = format!("No free slots from {range}.\n");
        if free.search.organisation_type.is_none() {
            text.push_str(
                "Slots kept for an organisation type are offered only when --org-type is given.\n",
            );
        }
        return text;
    }
    SlotView::table(slots)
}
