//! Decoded slots kept between free-slot reads, each checked against its row on every read.
//!
//! A free-slot search over a whole practice returns thousands of slots, and every booking
//! moves the practice's diary version on, so the search after a booking reads them all again.
//! Reading and decoding every body again was most of the database's and much of the server's
//! work for searches while bookings run. A booking changes a slot or two.
//!
//! So a read asks the database first only for the identity of each free slot in the range:
//! its id, its version and its row's `xmin` (the transaction that wrote the row as it is now;
//! any change to a row, through this server or plain SQL, writes a new row version with a new
//! `xmin`). A slot kept from an earlier read with the same id, version and `xmin` is the very
//! same row, and is used as it is. The bodies of the others are then read in a second
//! statement, which applies the same conditions: a slot that changed in between is returned
//! as it is then, or not at all if it is no longer free in the range. Every slot returned is
//! therefore as the database had it at the first statement or later, and both statements run
//! after the read began (what the search cache relies on: the data is at least as new as the
//! diary version read before it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use gpconnect_domain::records::SlotRecord;
use gpconnect_domain::{FhirId, OdsCode};

/// The most slots kept (all practices together); about 0.5 KB each. When a new slot would go
/// beyond it, everything kept is dropped and the cache fills again from the next reads.
pub(crate) const MAX_SLOTS: usize = 100_000;

/// What identifies one stored row version of a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowVersion {
    pub version: i64,
    pub xmin: i64,
}

struct Kept {
    row: RowVersion,
    slot: Arc<SlotRecord>,
}

#[derive(Default)]
struct Slots {
    by_practice: HashMap<OdsCode, HashMap<FhirId, Kept>>,
    count: usize,
}

/// Decoded slots by practice and id, with the row version each was read from.
pub(crate) struct SlotCache {
    slots: Mutex<Slots>,
    max: usize,
}

impl SlotCache {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            slots: Mutex::new(Slots::default()),
            max,
        }
    }

    fn slots(&self) -> MutexGuard<'_, Slots> {
        // Every statement leaves the maps consistent: a panic elsewhere while the lock was
        // held leaves nothing half-done.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// For each `(id, row)`, the slot kept for exactly that row version, if any.
    pub(crate) fn lookup(
        &self,
        practice: &OdsCode,
        rows: &[(FhirId, RowVersion)],
    ) -> Vec<Option<Arc<SlotRecord>>> {
        let slots = self.slots();
        let Some(kept) = slots.by_practice.get(practice) else {
            return vec![None; rows.len()];
        };
        rows.iter()
            .map(|(id, row)| {
                kept.get(id)
                    .filter(|k| k.row == *row)
                    .map(|k| k.slot.clone())
            })
            .collect()
    }

    /// Keeps `slots`, each read from row version `row`.
    pub(crate) fn keep(&self, practice: &OdsCode, slots: Vec<(RowVersion, Arc<SlotRecord>)>) {
        if slots.len() > self.max {
            return;
        }
        let mut all = self.slots();
        let new = slots.len();
        if all.count + new > self.max {
            all.by_practice.clear();
            all.count = 0;
        }
        let Slots { by_practice, count } = &mut *all;
        let kept = by_practice.entry(practice.clone()).or_default();
        for (row, slot) in slots {
            if kept.insert(slot.id.clone(), Kept { row, slot }).is_none() {
                *count += 1;
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots().count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::records::{DeliveryChannel, SlotStatus};
    use gpconnect_domain::UkDateTime;

    fn slot(practice: &str, id: &str) -> Arc<SlotRecord> {
        let start = UkDateTime::from_unix_seconds(1_800_000_000).unwrap();
        Arc::new(SlotRecord {
            practice: OdsCode::parse(practice).unwrap(),
            id: FhirId::parse(id).unwrap(),
            version: 1,
            schedule: FhirId::parse("s1").unwrap(),
            start,
            end: start,
            status: SlotStatus::Free,
            delivery_channel: DeliveryChannel::InPerson,
            service_type: None,
            gpc_bookable: true,
            restrict_org_types: vec![],
            restrict_ods_codes: vec![],
            booking_window: None,
        })
    }

    fn row(version: i64, xmin: i64) -> RowVersion {
        RowVersion { version, xmin }
    }

    fn id(s: &str) -> FhirId {
        FhirId::parse(s).unwrap()
    }

    #[test]
    fn a_slot_is_used_only_for_the_row_version_it_was_read_from() {
        let cache = SlotCache::new(10);
        let a20047 = OdsCode::parse("A20047").unwrap();
        cache.keep(&a20047, vec![(row(1, 100), slot("A20047", "x"))]);

        let found = cache.lookup(
            &a20047,
            &[
                (id("x"), row(1, 100)),
                // Same version, rewritten row (e.g. a reset, or plain SQL).
                (id("x"), row(1, 101)),
                // A newer version.
                (id("x"), row(2, 100)),
                (id("y"), row(1, 100)),
            ],
        );
        let hits: Vec<bool> = found.iter().map(Option::is_some).collect();
        assert_eq!(hits, [true, false, false, false]);
        // Another practice's slot of the same id is another slot.
        let other = OdsCode::parse("Y90001").unwrap();
        assert!(cache.lookup(&other, &[(id("x"), row(1, 100))])[0].is_none());
    }

    #[test]
    fn a_newer_row_replaces_the_kept_one_and_the_bound_holds() {
        let cache = SlotCache::new(3);
        let practice = OdsCode::parse("A20047").unwrap();
        cache.keep(&practice, vec![(row(1, 100), slot("A20047", "x"))]);
        cache.keep(&practice, vec![(row(2, 105), slot("A20047", "x"))]);
        assert_eq!(cache.len(), 1);
        assert!(cache.lookup(&practice, &[(id("x"), row(1, 100))])[0].is_none());
        assert!(cache.lookup(&practice, &[(id("x"), row(2, 105))])[0].is_some());

        cache.keep(
            &practice,
            vec![
                (row(1, 106), slot("A20047", "y")),
                (row(1, 106), slot("A20047", "z")),
            ],
        );
        assert_eq!(cache.len(), 3);
        // One more than the bound: everything kept is dropped first.
        cache.keep(&practice, vec![(row(1, 107), slot("A20047", "w"))]);
        assert_eq!(cache.len(), 1);
        assert!(cache.lookup(&practice, &[(id("x"), row(2, 105))])[0].is_none());
        assert!(cache.lookup(&practice, &[(id("w"), row(1, 107))])[0].is_some());
        // A read bigger than the bound is not kept at all.
        let many: Vec<_> = ["a", "b", "c", "d"]
            .iter()
            .map(|s| (row(1, 108), slot("A20047", s)))
            .collect();
        cache.keep(&practice, many);
        assert_eq!(cache.len(), 1);
    }
}
