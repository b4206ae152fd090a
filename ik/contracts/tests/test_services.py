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
