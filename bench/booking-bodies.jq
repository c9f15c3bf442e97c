# Turns free-slot search bundles (slurped with `jq -s`) into one booking request body per free
# slot (SPEC 3.11), one compact JSON object per line, walking through the patients in $patients.
# Arguments: --argjson patients '["1","2",...]'  --arg created '<UK local date-time>'.
(map(.entry // [] | map(.resource)) | add) as $resources
| ($resources
    | map(select(.resourceType == "Schedule"))
    | map({key: .id, value: ([.actor[].reference | select(startswith("Location/"))][0])})
    | from_entries) as $location
| [$resources[] | select(.resourceType == "Slot")]
| to_entries[]
| .key as $i
| .value
| {
    resourceType: "Appointment",
    meta: {profile: ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"]},
    contained: [{
      resourceType: "Organization",
      id: "1",
      meta: {profile: ["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1"]},
      identifier: [{system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "A20047"}],
      type: [{coding: [{system: "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1", code: "urgent-care", display: "Urgent Care"}]}],
      name: "Benchmark Consumer",
      telecom: [{system: "phone", value: "01632 960000", use: "work"}]
    }],
    extension: [{
      url: "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1",
      valueReference: {reference: "#1"}
    }],
    status: "booked",
    description: "Benchmark booking",
    start: .start,
    end: .end,
    created: $created,
    slot: [{reference: ("Slot/" + .id)}],
    participant: [
      {actor: {reference: ("Patient/" + $patients[$i % ($patients | length)])}, status: "accepted"},
      {actor: {reference: $location[.schedule.reference | ltrimstr("Schedule/")]}, status: "accepted"}
    ]
  }
