from __future__ import annotations

from django import forms

from ik.reports.models import DocumentWording


class DocumentWordingForm(forms.ModelForm[DocumentWording]):
    class Meta:
        model = DocumentWording
        fields = ["title", "background_heading", "summary_heading", "basis", "proposer"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}
