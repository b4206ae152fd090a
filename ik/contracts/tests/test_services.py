from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ik.contracts import services
from ik.contracts.inputs import engine_contracts, procurement_settings
from ik.contracts.models import Contract
from ik.engine.contracts import read_contracts
from ik.test import TEST_SETUP, BaseTestCase

HEADER = "leverantor;orgnr;avtal_id;titel;kategori;giltig_fran;giltig_till;ramavtal"


def contracts_csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


GOOD = contracts_csv(
    "Vätterns El AB;556475-6467;E-1;El;Energi;2016-01-01;2019-12-31;nej",
    "Östgöta Städ AB;5560125790;S-1;Städ;Fastighet;2015-04-01;2018-04-20;ja",
)


class ContractImportTests(BaseTestCase):
    def test_the_file_becomes_the_register_and_the_trail_says_what_changed(self):
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        summary = services.contract_register_import(
            organisation=self.org,
            by=TEST_SETUP,
            file=contracts_csv(
                "Vätterns El AB;556475-6467;E-1;El;Energi;2016-01-01;2019-12-31;nej"
            ),
        )
        assert (summary.contracts, summary.added, summary.removed, summary.unchanged) == (
            1,
            0,
            1,
            1,
        )
        (contract,) = Contract.objects.filter(organisation=self.org)
        assert contract.orgnr == "5564756467" and contract.valid_to == date(2019, 12, 31)
        event = self.org.audit_events.filter(action="contract_register_import").latest("id")
        assert event.changes["removed"] == ["S-1 Östgöta Städ AB"]

    def test_a_bad_row_refuses_the_whole_file_and_keeps_the_register(self):
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        bad = contracts_csv("Ny AB;;N-1;;;2018-01-01;;nej", "Fel AB;;F-1;;;1 maj 2018;;nej")
        with pytest.raises(ValidationError) as caught:
            services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=bad)
        message = caught.value.message_dict["file"][0]
        assert "rad 3" in message and "kolumn giltig_fran" in message
        assert Contract.objects.filter(organisation=self.org).count() == 2

    def test_a_file_with_only_a_header_is_refused(self):
        with pytest.raises(ValidationError, match="inga avtal"):
            services.contract_register_import(
                organisation=self.org, by=TEST_SETUP, file=contracts_csv()
            )

    def test_export_reads_back_as_the_same_register_in_both_formats(self):
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        for fmt in ("csv", "xlsx"):
            data = services.contract_register_export(self.org, fmt)
            assert list(read_contracts(data)) == engine_contracts(self.org)

    def test_another_organisations_register_is_untouched(self):
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        other = self.foreign_plan.committee.organisation
        services.contract_register_import(
            organisation=other, by=TEST_SETUP, file=contracts_csv("X AB;;X-1;;;2018-01-01;;nej")
        )
        assert Contract.objects.filter(organisation=self.org).count() == 2


class ProcurementSettingsTests(BaseTestCase):
    def test_defaults_until_chosen_then_saved_with_a_trail(self):
        assert procurement_settings(self.org).window == "calendar"
        services.procurement_settings_update(
            organisation=self.org,
            by=TEST_SETUP,
            window="rolling",
            direct_procurement_limit=None,
            compliance_target=95,
        )
        assert procurement_settings(self.org).window == "rolling"
        event = self.org.audit_events.get(action="procurement_settings_update")
        assert event.changes["window"] == ["calendar", "rolling"]


class ContractRegisterUpdateTests(BaseTestCase):
    def setUp(self):
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        self.ids = dict(Contract.objects.values_list("contract_id", "public_id"))

    def test_an_update_adds_changes_and_keeps_what_the_file_leaves_out(self):
        file = contracts_csv(
            # E-1 ends a year later and is now a framework agreement; N-1 is new; S-1 is left out.
            "Vätterns El AB;556475-6467;e-1;El;Energi;2016-01-01;2020-12-31;ja",
            "Ny Leverantör AB;;N-1;Ny;IT;2018-01-01;;nej",
        )
        preview = services.contract_register_plan(
            organisation=self.org, file=file, mode=services.UPDATE
        )
        assert Contract.objects.filter(organisation=self.org).count() == 2  # nothing written
        summary = services.contract_register_import(
            organisation=self.org, by=TEST_SETUP, file=file, mode=services.UPDATE
        )
        assert summary == preview
        assert (summary.added, summary.changed, summary.removed, summary.kept) == (1, 1, 0, 1)
        energy = Contract.objects.get(public_id=self.ids["E-1"])
        assert energy.valid_to == date(2020, 12, 31) and energy.framework and energy.version == 2
        assert Contract.objects.filter(public_id=self.ids["S-1"]).exists()
        event = self.org.audit_events.filter(action="contract_register_import").latest("id")
        assert event.changes["mode"] == "update" and event.changes["added"] == [
            "N-1 Ny Leverantör AB"
        ]
        assert event.changes["changed"]["e-1 Vätterns El AB"]["valid_to"] == [
            "2019-12-31",
            "2020-12-31",
        ]

    def test_an_update_can_end_the_contracts_the_file_leaves_out(self):
        services.contract_create(
            organisation=self.org,
            by=TEST_SETUP,
            supplier="Gammal AB",
            contract_id="G-1",
            valid_from=date(2014, 1, 1),
            valid_to=date(2015, 1, 1),
        )
        file = contracts_csv("Vätterns El AB;556475-6467;E-1;El;Energi;2016-01-01;2019-12-31;nej")
        summary = services.contract_register_import(
            organisation=self.org,
            by=TEST_SETUP,
            file=file,
            mode=services.UPDATE_AND_END,
            end_on=date(2017, 12, 31),
        )
        # S-1 was in force and ends; G-1 had ended long before and is left as it was.
        assert (summary.ended, summary.kept, summary.unchanged) == (1, 1, 1)
        assert Contract.objects.get(public_id=self.ids["S-1"]).valid_to == date(2017, 12, 31)
        assert Contract.objects.get(contract_id="G-1").valid_to == date(2015, 1, 1)

    def test_ending_before_a_left_out_contract_starts_is_refused_and_changes_nothing(self):
        file = contracts_csv("Ny AB;;N-1;;;2018-01-01;;nej")
        with pytest.raises(ValidationError) as caught:
            services.contract_register_import(
                organisation=self.org,
                by=TEST_SETUP,
                file=file,
                mode=services.UPDATE_AND_END,
                end_on=date(2015, 1, 31),
            )
        assert "börjar efter 2015-01-31" in caught.value.message_dict["end_on"][0]
        assert not Contract.objects.filter(contract_id="N-1").exists()
        assert Contract.objects.get(public_id=self.ids["S-1"]).valid_to == date(2018, 4, 20)

    def test_a_hostile_file_is_refused_whole(self):
        hostile = contracts_csv(
            '=HYPERLINK("http://example.invalid");;X-1;;;2018-01-01;;nej',
            "Ny AB;;N-1;;;2018-01-01;;nej",
            "Ny AB;;N-1;;;2019-01-01;;nej",  # the same supplier twice under one contract
            "Fel AB;;F-1;;;2018-01-01;;kanske",
        )
        with pytest.raises(ValidationError) as caught:
            services.contract_register_import(
                organisation=self.org, by=TEST_SETUP, file=hostile, mode=services.UPDATE
            )
        message = caught.value.message_dict["file"][0]
        assert "2 fel" in message and "rad 4" in message
        assert Contract.objects.filter(organisation=self.org).count() == 2
        with pytest.raises(ValidationError):
            services.contract_register_plan(
                organisation=self.org, file=b"\x00\xff" * 100, mode=services.UPDATE
            )


class SingleContractTests(BaseTestCase):
    def test_add_edit_and_end_with_the_trail(self):
        contract = services.contract_create(
            organisation=self.org,
            by=TEST_SETUP,
            supplier="Adda AB",
            orgnr="5560125790",
            contract_id="R-1",
            valid_from=date(2018, 1, 1),
            framework=True,
        )
        services.contract_update(contract=contract, by=TEST_SETUP, category="Kontor")
        services.contract_end(contract=contract, by=TEST_SETUP, on=date(2019, 6, 30))
        contract.refresh_from_db()
        assert contract.valid_to == date(2019, 6, 30) and contract.category == "Kontor"
        actions = list(
            self.org.audit_events.filter(object_id=str(contract.public_id))
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions == ["contract_create", "contract_update", "contract_update"]

    def test_the_same_supplier_twice_under_one_contract_and_an_early_end_are_refused(self):
        values = {"supplier": "Adda AB", "contract_id": "R-1", "valid_from": date(2018, 1, 1)}
        contract = services.contract_create(organisation=self.org, by=TEST_SETUP, **values)
        with pytest.raises(ValidationError, match="finns redan under avtal r-1"):
            services.contract_create(
                organisation=self.org, by=TEST_SETUP, **{**values, "contract_id": "r-1"}
            )
        with pytest.raises(ValidationError, match="börjar 2018-01-01"):
            services.contract_end(contract=contract, by=TEST_SETUP, on=date(2017, 1, 1))
        other = self.foreign_plan.committee.organisation
        services.contract_create(organisation=other, by=TEST_SETUP, **values)  # not a duplicate
