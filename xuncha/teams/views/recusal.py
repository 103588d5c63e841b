"""The recusal check: who is blocked for which target of a round, and which rule and record say so."""

from __future__ import annotations

from django.shortcuts import render

from .. import forms, selectors
from .base import TeamsView


class RecusalCheckView(TeamsView):
    permission = "teams:recusal:view"

    def get(self, request):
        form = forms.RecusalCheckForm(request.GET or None, user=request.user)
        rows, people, units, round_ = [], 0, 0, None
        if form.is_bound and form.is_valid():
            round_ = form.cleaned_data["round"]
            rows, people, units = selectors.recusal_rows(request.user, round_, form.cleaned_data["people"])
        elif form.is_bound:
            self.failed()
        return render(request, "teams/recusal_check.html", {
            "form": form, "rows": rows, "people": people, "units": units, "round": round_})
