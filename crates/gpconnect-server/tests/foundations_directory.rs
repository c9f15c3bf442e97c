//! ATS PractitionerRead, PractitionerSearch, OrganizationRead, OrganizationSearch and
//! LocationRead (SPEC 3.5–3.9, 4.4–4.6) on the demo practice, with the body checks of ATS
//! 3.2–3.4, in JSON and XML.
#![allow(clippy::unwrap_used)]

mod foundations_support;
mod support;

use foundations_support::*;
use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;
use support::DemoApp;

/// The suite's practitioners: SDS user id and how many role profile ids each has (ATS 1.8).
const PRACTITIONERS: [(&str, usize); 3] = [("G13579135", 0), ("G11111116", 1), ("G22345655", 2)];

/// The suite's sites: logical id and ODS site code (ATS 1.7).
const SITES: [(&str, &str); 3] = [("1", "Z26556"), ("8", "Z33432"), ("3", "Z33433")];

/// Every way of asking for a format the suite uses: Accept alone, `_format` alone, both.
const ASKS: [Ask; 8] = [
    Ask::JSON,
    Ask::XML,
    Ask::param(Format::Json),
    Ask::param(Format::Xml),
    Ask::both(Format::Json, Format::Json),
    Ask::both(Format::Json, Format::Xml),
    Ask::both(Format::Xml, Format::Json),
    Ask::both(Format::Xml, Format::Xml),
];

/// Logical ids that are well-formed but name nothing (ATS O2 rows), and one over 64 characters.
const UNKNOWN_IDS: [&str; 7] = [
    "aaBA",
    "1ZEc2",
    "z.as.dd",
    "1.1.22",
    "40-9",
    "nd-skdm.mks--s",
    "4543567638475665845564986758479086840564796854665748763454123456789",
];

fn practitioner_search(sds_user_id: &str) -> String {
    format!(
        "/Practitioner?{}",
        identifier_query(SDS_USER_SYSTEM, sds_user_id)
    )
}

fn organization_search(ods: &str) -> String {
    format!("/Organization?{}", identifier_query(ODS_SYSTEM, ods))
}

/// ATS 3.2.
#[track_caller]
fn assert_practitioner(practitioner: &Value, sds_user_id: &str, role_profiles: usize) {
    assert_eq!(practitioner["resourceType"], "Practitioner");
    assert!(practitioner["id"].is_string());
    assert_meta(practitioner, PRACTITIONER_PROFILE);
    let identifiers = practitioner["identifier"].as_array().unwrap();
    for identifier in identifiers {
        assert!([
            SDS_USER_SYSTEM,
            SDS_ROLE_SYSTEM,
            "https://fhir.hl7.org.uk/Id/gmp-number"
        ]
        .contains(&identifier["system"].as_str().unwrap()));
        assert!(identifier["value"].as_str().is_some_and(|v| !v.is_empty()));
    }
    let with = |system: &str| identifiers.iter().filter(|i| i["system"] == system).count();
    assert_eq!(with(SDS_USER_SYSTEM), 1);
    assert_eq!(
        identifiers
            .iter()
            .find(|i| i["system"] == SDS_USER_SYSTEM)
            .unwrap()["value"],
        sds_user_id
    );
    assert_eq!(with(SDS_ROLE_SYSTEM), role_profiles);
    let names = practitioner["name"].as_array().unwrap();
    assert_eq!(names.len(), 1);
    assert!(names[0]["family"].as_str().is_some_and(|f| !f.is_empty()));
    for absent in [
        "telecom",
        "address",
        "birthDate",
        "photo",
        "qualification",
        "communication",
    ] {
        assert!(
            practitioner.get(absent).is_none(),
            "{absent}: {practitioner}"
        );
    }
    assert!(
        ["male", "female", "other", "unknown"].contains(&practitioner["gender"].as_str().unwrap())
    );
}

/// ATS 3.3.
#[track_caller]
fn assert_organization(organization: &Value, ods: &str) {
    assert_eq!(organization["resourceType"], "Organization");
    assert!(organization["id"].is_string());
    assert_meta(organization, ORGANIZATION_PROFILE);
    let identifiers = organization["identifier"].as_array().unwrap();
    assert!(identifiers
        .iter()
        .all(|i| i["system"].is_string() && i["value"].is_string()));
    let codes: Vec<_> = identifiers
        .iter()
        .filter(|i| i["system"] == ODS_SYSTEM)
        .collect();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0]["value"], ods);
    assert!(organization["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(organization.get("contact").is_none() && organization.get("endpoint").is_none());
    for extension in organization["extension"].as_array().into_iter().flatten() {
        assert!([
            "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-MainLocation-1",
            "http://hl7.org/fhir/StructureDefinition/organization-period"
        ]
        .contains(&extension["url"].as_str().unwrap()));
    }
    if let Some(part_of) = organization["partOf"]["reference"].as_str() {
        assert!(part_of.starts_with("Organization/"));
    }
}

/// ATS 3.4.
#[track_caller]
fn assert_location(location: &Value, id: &str, site_code: &str) {
    assert_eq!(location["resourceType"], "Location");
    assert_eq!(location["id"], id);
    assert_meta(location, LOCATION_PROFILE);
    assert!(location["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(
        location["address"].is_object(),
        "a single address: {location}"
    );
    let sites: Vec<_> = location["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["system"] == SITE_SYSTEM)
        .collect();
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0]["value"], site_code);
    for concept in ["type", "physicalType"] {
        for coding in location[concept]["coding"].as_array().into_iter().flatten() {
            assert!(
                coding["system"].is_string()
                    && coding["code"].is_string()
                    && coding["display"].is_string()
            );
        }
    }
    assert!(location["type"]["coding"].is_array() && location["physicalType"]["coding"].is_array());
    if let Some(part_of) = location["partOf"]["reference"].as_str() {
        assert!(part_of.starts_with("Location/"));
    }
    assert!(location["managingOrganization"]["reference"]
        .as_str()
        .unwrap()
        .starts_with("Organization/"));
    assert!(location.get("endpoint").is_none() && location.get("mode").is_none());
}

#[tokio::test]
async fn practitioner_search_and_read_give_each_practitioner_with_its_role_profiles() {
    let app = DemoApp::start().await;
    for (sds_user_id, roles) in PRACTITIONERS {
        // ATS PractitionerSearch O1, 15.
        let response = app
            .send(get(
                &practitioner_search(sds_user_id),
                Interaction::SearchPractitioner,
                Ask::JSON,
            ))
            .await;
        let entries = searchset(&ok(&response, Format::Json));
        assert_eq!(entries.len(), 1, "{sds_user_id}");
        assert_practitioner(&entries[0], sds_user_id, roles);

        // ATS PractitionerRead O1, 7, 8.
        let id = entries[0]["id"].as_str().unwrap();
        let response = app
            .send(get(
                &format!("/Practitioner/{id}"),
                Interaction::ReadPractitioner,
                Ask::JSON,
            ))
            .await;
        let practitioner = ok(&response, Format::Json);
        assert_eq!(practitioner["id"], id);
        assert_practitioner(&practitioner, sds_user_id, roles);
        assert_eq!(
            response.header("etag").unwrap(),
            format!(
                "W/\"{}\"",
                practitioner["meta"]["versionId"].as_str().unwrap()
            )
        );
    }
}

#[tokio::test]
async fn practitioner_search_parameters_are_checked_and_unknown_ones_ignored() {
    let app = DemoApp::start().await;
    let search = |query: String| {
        get(
            &format!("/Practitioner{query}"),
            Interaction::SearchPractitioner,
            Ask::JSON,
        )
    };
    let practitioner2 = identifier_query(SDS_USER_SYSTEM, "G11111116");
    for (query, status, code) in [
        // ATS PractitionerSearch O2: empty value, empty system.
        (
            format!("?identifier={}", urlencode(&format!("{SDS_USER_SYSTEM}|"))),
            422,
            "INVALID_PARAMETER",
        ),
        (
            format!("?identifier={}", urlencode("|G11111116")),
            422,
            "INVALID_PARAMETER",
        ),
        ("?identifier=G11111116".to_owned(), 422, "INVALID_PARAMETER"),
        // ATS 3, O4, 9, 10.
        (String::new(), 400, "BAD_REQUEST"),
        (format!("?I{}", &practitioner2[1..]), 400, "BAD_REQUEST"),
        (
            format!("?{practitioner2}&{practitioner2}"),
            400,
            "BAD_REQUEST",
        ),
        (
            format!(
                "?{}&{practitioner2}",
                identifier_query(SDS_USER_SYSTEM, "G13579135")
            ),
            400,
            "BAD_REQUEST",
        ),
        // SPEC 3.5: another system is not supported.
        (
            format!("?{}", identifier_query(ODS_SYSTEM, "G11111116")),
            400,
            "INVALID_IDENTIFIER_SYSTEM",
        ),
    ] {
        let response = app.send(search(query.clone())).await;
        let diagnostics = assert_outcome(&response, status, code);
        assert!(!diagnostics.is_empty(), "{query}");
    }

    // ATS 11: _sort and _count are ignored.
    let response = app
        .send(search(format!(
            "?{}&_sort=practitioner.coding&_count=1",
            identifier_query(SDS_USER_SYSTEM, "G13579135")
        )))
        .await;
    assert_eq!(searchset(&ok(&response, Format::Json)).len(), 1);

    // ATS 16: an unknown SDS user id (and the one the suite expects never to exist) is an
    // empty searchset.
    for unknown in ["unknownSDSUserID", "G99999999"] {
        let response = app
            .send(search(format!(
                "?{}",
                identifier_query(SDS_USER_SYSTEM, unknown)
            )))
            .await;
        let bundle = ok(&response, Format::Json);
        assert!(bundle.get("entry").is_none(), "{bundle}");
    }
}

#[tokio::test]
async fn practitioner_answers_come_in_the_format_asked_for() {
    let app = DemoApp::start().await;
    let (sds_user_id, roles) = PRACTITIONERS[1];
    for ask in ASKS {
        // ATS PractitionerSearch O5–O8 (`_format` before and after the identifier).
        for format_first in [false, true] {
            let response = app
                .send(get_ordered(
                    &practitioner_search(sds_user_id),
                    Interaction::SearchPractitioner,
                    ask,
                    format_first,
                ))
                .await;
            let entries = searchset(&ok(&response, ask.expected()));
            assert_eq!(entries.len(), 1);
            assert_practitioner(&entries[0], sds_user_id, roles);
        }
        // ATS PractitionerRead O3–O5.
        let response = app
            .send(get("/Practitioner/2", Interaction::ReadPractitioner, ask))
            .await;
        let practitioner = ok(&response, ask.expected());
        assert_eq!(practitioner["id"], "2");
        assert_practitioner(&practitioner, sds_user_id, roles);
    }
}

#[tokio::test]
async fn unknown_ids_are_not_found_with_each_resource_code() {
    let app = DemoApp::start().await;
    for id in UNKNOWN_IDS {
        for (resource, interaction, code) in [
            (
                "Practitioner",
                Interaction::ReadPractitioner,
                "PRACTITIONER_NOT_FOUND",
            ),
            (
                "Organization",
                Interaction::ReadOrganization,
                "ORGANISATION_NOT_FOUND",
            ),
            ("Location", Interaction::ReadLocation, "NO_RECORD_FOUND"),
        ] {
            for ask in [Ask::JSON, Ask::XML] {
                let response = app
                    .send(get(&format!("/{resource}/{id}"), interaction, ask))
                    .await;
                assert_eq!(format_of(&response), ask.expected());
                assert_outcome(&response, 404, code);
            }
        }
    }
}

#[tokio::test]
async fn an_interaction_id_for_another_interaction_is_a_bad_request() {
    // ATS PractitionerRead 9, PractitionerSearch 14, OrganizationRead 8, OrganizationSearch 14,
    // LocationRead 9.
    let app = DemoApp::start().await;
    for (path, sent) in [
        ("/Practitioner/1", Interaction::ReadLocation),
        (
            practitioner_search("G13579135").as_str(),
            Interaction::ReadPractitioner,
        ),
        ("/Organization/1", Interaction::ReadPractitioner),
        ("/Organization", Interaction::ReadPractitioner),
        ("/Location/1", Interaction::ReadPractitioner),
    ] {
        let response = app.send(get(path, sent, Ask::JSON)).await;
        assert_outcome(&response, 400, "BAD_REQUEST");
    }
}

#[tokio::test]
async fn organization_search_finds_the_practice_by_ods_code_and_read_gives_it_back() {
    let app = DemoApp::start().await;
    // ATS OrganizationSearch O1: an unknown code is an empty searchset.
    let response = app
        .send(get(
            &organization_search("INVOC1"),
            Interaction::SearchOrganization,
            Ask::JSON,
        ))
        .await;
    assert!(searchset(&ok(&response, Format::Json)).is_empty());

    // ATS OrganizationSearch O1, 2, 3, 11.
    let response = app
        .send(get(
            &organization_search("A20047"),
            Interaction::SearchOrganization,
            Ask::JSON,
        ))
        .await;
    let entries = searchset(&ok(&response, Format::Json));
    assert_eq!(entries.len(), 1);
    assert_organization(&entries[0], "A20047");

    // ATS OrganizationRead 1, 7: the same organisation, with its ETag.
    let reference = format!("Organization/{}", entries[0]["id"].as_str().unwrap());
    let response = app
        .send(get(
            &format!("/{reference}"),
            Interaction::ReadOrganization,
            Ask::JSON,
        ))
        .await;
    let organization = ok(&response, Format::Json);
    assert_organization(&organization, "A20047");
    assert_eq!(
        response.header("etag").unwrap(),
        format!(
            "W/\"{}\"",
            organization["meta"]["versionId"].as_str().unwrap()
        )
    );
    assert_eq!(organization, entries[0]);

    // ATS OrganizationSearch 4, 12.
    let response = app
        .send(get(
            "/Organization",
            Interaction::SearchOrganization,
            Ask::JSON,
        ))
        .await;
    assert_outcome(&response, 400, "BAD_REQUEST");
    let response = app
        .send(get(
            &format!("{}&_count=1", organization_search("A20047")),
            Interaction::SearchOrganization,
            Ask::JSON,
        ))
        .await;
    assert_eq!(searchset(&ok(&response, Format::Json)).len(), 1);

    // Another organisation the practice holds is found by its own code (ATS 1.7 ORG2, ORG3).
    for code in ["R1A14", "X12345"] {
        let response = app
            .send(get(
                &organization_search(code),
                Interaction::SearchOrganization,
                Ask::JSON,
            ))
            .await;
        let entries = searchset(&ok(&response, Format::Json));
        assert_eq!(entries.len(), 1);
        assert_organization(&entries[0], code);
    }
}

#[tokio::test]
async fn organization_answers_come_in_the_format_asked_for() {
    let app = DemoApp::start().await;
    for ask in ASKS {
        // ATS OrganizationSearch O5–O9.
        for format_first in [false, true] {
            let response = app
                .send(get_ordered(
                    &organization_search("A20047"),
                    Interaction::SearchOrganization,
                    ask,
                    format_first,
                ))
                .await;
            let entries = searchset(&ok(&response, ask.expected()));
            assert_eq!(entries.len(), 1);
            assert_organization(&entries[0], "A20047");
        }
        // ATS OrganizationRead O3–O5.
        let response = app
            .send(get("/Organization/1", Interaction::ReadOrganization, ask))
            .await;
        let organization = ok(&response, ask.expected());
        assert_eq!(organization["id"], "1");
        assert_organization(&organization, "A20047");
    }
}

#[tokio::test]
async fn the_suite_sites_are_read_with_their_site_codes_and_managing_organisation() {
    let app = DemoApp::start().await;
    for (id, site_code) in SITES {
        // ATS LocationRead O1, O6, 7, 8.
        for ask in [Ask::JSON, Ask::XML] {
            let response = app
                .send(get(
                    &format!("/Location/{id}"),
                    Interaction::ReadLocation,
                    ask,
                ))
                .await;
            let location = ok(&response, ask.expected());
            assert_location(&location, id, site_code);
            assert_eq!(
                response.header("etag").unwrap(),
                format!("W/\"{}\"", location["meta"]["versionId"].as_str().unwrap())
            );
            let managing = location["managingOrganization"]["reference"]
                .as_str()
                .unwrap();
            let organization = read_reference(&app, managing).await;
            assert_organization(&organization, "A20047");
        }
    }
    // ATS LocationRead O3, O4: `_format` and Accept combined.
    for ask in ASKS {
        let response = app
            .send(get("/Location/3", Interaction::ReadLocation, ask))
            .await;
        assert_location(&ok(&response, ask.expected()), "3", "Z33433");
    }
}
