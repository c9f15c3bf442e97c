//! Deterministic synthetic people: NHS numbers with a correct Modulus-11 check digit, names
//! assembled from a few word parts, dates of birth and addresses derived from an index. The
//! same index always gives the same person, so demo data and tests agree between runs.

use gpconnect_domain::records::{
    Address, AddressUse, ContactPoint, ContactSystem, ContactUse, Gender,
};
use gpconnect_domain::NhsNumber;
use jiff::civil::Date;

/// A generated person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntheticPerson {
    pub nhs_number: NhsNumber,
    pub prefix: &'static str,
    pub given: String,
    pub family: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub address: Address,
    pub phone: ContactPoint,
}

/// The NHS number whose first nine digits are `prefix`, or `None` when no check digit exists
/// for it (Modulus-11 remainder giving 10) or `prefix` has more than nine digits.
pub(crate) fn nhs_number_with_prefix(prefix: u32) -> Option<NhsNumber> {
    let digits = format!("{prefix:09}");
    if digits.len() != 9 {
        return None;
    }
    let sum: u32 = digits
        .bytes()
        .zip((2..=10u32).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return None,
        c => c,
    };
    NhsNumber::parse(&format!("{digits}{check}")).ok()
}

/// Valid NHS numbers in increasing order, starting at the nine-digit `base_prefix`.
pub(crate) fn nhs_numbers_from(base_prefix: u32) -> impl Iterator<Item = NhsNumber> {
    (base_prefix..=999_999_999).filter_map(nhs_number_with_prefix)
}

const FEMALE_GIVEN: [&str; 24] = [
    "Ada", "Bethan", "Carys", "Delia", "Edith", "Freya", "Gwen", "Hazel", "Iris", "Joanna",
    "Kerry", "Lorna", "Maisie", "Nora", "Olive", "Petra", "Rhian", "Sian", "Tessa", "Una", "Vera",
    "Wendy", "Yasmin", "Zara",
];
const MALE_GIVEN: [&str; 24] = [
    "Alfie", "Bryn", "Callum", "Dafydd", "Ewan", "Fergus", "Gareth", "Huw", "Idris", "Jago",
    "Kieran", "Lewis", "Magnus", "Niall", "Owain", "Percy", "Rhys", "Seth", "Tobias", "Vaughan",
    "Wilf", "Yusuf", "Zane", "Arlo",
];
const NEUTRAL_GIVEN: [&str; 6] = ["Alex", "Jordan", "Robin", "Sam", "Charlie", "Jamie"];
const FAMILY_START: [&str; 20] = [
    "Ash", "Brad", "Cold", "Dun", "East", "Fair", "Green", "Hart", "Kings", "Lang", "Marsh",
    "North", "Oak", "Pen", "Red", "Stan", "Thorn", "West", "Whit", "Wood",
];
const FAMILY_END: [&str; 16] = [
    "by", "combe", "croft", "den", "field", "ford", "gate", "ham", "hurst", "ley", "more", "ridge",
    "stead", "ton", "well", "wick",
];
const STREET_NAME: [&str; 12] = [
    "Alder", "Beacon", "Chapel", "Foundry", "Harbour", "Juniper", "Kestrel", "Meadow", "Orchard",
    "Quarry", "Rowan", "Willow",
];
const STREET_KIND: [&str; 6] = ["Road", "Lane", "Close", "Street", "Avenue", "Crescent"];
const TOWN: [(&str, &str); 8] = [
    ("Leeds", "LS"),
    ("York", "YO"),
    ("Harrogate", "HG"),
    ("Bradford", "BD"),
    ("Wakefield", "WF"),
    ("Halifax", "HX"),
    ("Huddersfield", "HD"),
    ("Doncaster", "DN"),
];
const POSTCODE_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// Picks an entry from `list` by a SplitMix64 hash of `index` and `salt`, so that
/// neighbouring indexes give unrelated entries.
fn pick<T: Copy>(list: &[T], index: u32, salt: u32) -> T {
    let mut z = (u64::from(index) << 8 | u64::from(salt)).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    list[(z % list.len() as u64) as usize]
}

/// A generated name: title, given name, family name and the gender they go with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntheticName {
    pub prefix: &'static str,
    pub given: &'static str,
    pub family: String,
    pub gender: Gender,
}

/// The name at `index`.
pub(crate) fn name(index: u32) -> SyntheticName {
    // Roughly one in forty has a gender other than male or female.
    let gender = match index % 40 {
        39 => Gender::Other,
        _ if index % 2 == 0 => Gender::Female,
        _ => Gender::Male,
    };
    let (given, prefix) = match gender {
        Gender::Female => (
            pick(&FEMALE_GIVEN, index, 1),
            pick(&["Mrs", "Ms", "Miss"], index, 2),
        ),
        Gender::Male => (pick(&MALE_GIVEN, index, 1), "Mr"),
        Gender::Other | Gender::Unknown => (pick(&NEUTRAL_GIVEN, index, 1), "Mx"),
    };
    let family = format!(
        "{}{}",
        pick(&FAMILY_START, index, 3),
        pick(&FAMILY_END, index, 4)
    );
    SyntheticName {
        prefix,
        given,
        family,
        gender,
    }
}

/// The person at `index`, carrying `nhs_number`.
pub(crate) fn person(index: u32, nhs_number: NhsNumber) -> SyntheticPerson {
    let SyntheticName {
        prefix,
        given,
        family,
        gender,
    } = name(index);
    let year = 1930 + (index * 7 + index / 13) % 88;
    let month = 1 + (index * 5 + index / 12) % 12;
    let day = 1 + (index * 11 + index / 28) % 28;
    let birth_date = Date::new(year as i16, month as i8, day as i8)
        .unwrap_or_else(|_| jiff::civil::date(1970, 1, 1));
    let (town, area) = pick(&TOWN, index, 5);
    let letter = |salt| char::from(pick(POSTCODE_LETTERS, index, salt));
    let address = Address {
        use_: Some(AddressUse::Home),
        lines: vec![format!(
            "{} {} {}",
            1 + index % 97,
            pick(&STREET_NAME, index, 6),
            pick(&STREET_KIND, index, 7)
        )],
        city: Some(town.to_owned()),
        district: None,
        postal_code: Some(format!(
            "{area}{} {}{}{}",
            1 + index % 19,
            index % 10,
            letter(8),
            letter(9)
        )),
        country: None,
    };
    // Ofcom reserves 01632 960000-960999 and 07700 900000-900999 for fiction.
    let phone = if index % 3 == 0 {
        ContactPoint {
            system: ContactSystem::Phone,
            value: format!("07700 900{:03}", index % 1000),
            use_: Some(ContactUse::Mobile),
        }
    } else {
        ContactPoint {
            system: ContactSystem::Phone,
            value: format!("01632 960{:03}", index % 1000),
            use_: Some(ContactUse::Home),
        }
    };
    SyntheticPerson {
        nhs_number,
        prefix,
        given: given.to_owned(),
        family,
        gender,
        birth_date,
        address,
        phone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_zero_and_impossible_prefixes() {
        // 999300000 has check digit 0; a prefix giving remainder 10 has none.
        assert_eq!(
            nhs_number_with_prefix(999_300_000).map(|n| n.to_string()),
            Some("9993000000".to_owned())
        );
        let impossible = (999_300_000..999_300_100)
            .filter(|p| nhs_number_with_prefix(*p).is_none())
            .count();
        assert!(impossible > 0);
        assert_eq!(nhs_number_with_prefix(1_000_000_000), None);
    }

    #[test]
    fn numbers_are_increasing_and_valid() {
        let numbers: Vec<_> = nhs_numbers_from(999_100_000).take(50).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]));
        assert!(numbers
            .iter()
            .all(|n| NhsNumber::parse(n.as_str()).is_ok() && n.as_str().starts_with("9991")));
    }

    #[test]
    fn people_are_deterministic_and_varied() {
        let n = nhs_number_with_prefix(999_100_000).expect("valid");
        assert_eq!(person(17, n.clone()), person(17, n.clone()));
        let families: std::collections::BTreeSet<_> =
            (0..300).map(|i| person(i, n.clone()).family).collect();
        assert!(families.len() > 100, "{}", families.len());
        let years: std::collections::BTreeSet<_> = (0..300)
            .map(|i| person(i, n.clone()).birth_date.year())
            .collect();
        assert!(years.len() > 50);
    }
}
