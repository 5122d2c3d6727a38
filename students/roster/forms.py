from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ktpku import intake

ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class RosterUploadForm(forms.Form):
    """A roster file, checked at once for size, kind and a safe container.

    Staff choose the school; a coordinator's school is their own, whatever the POST says.
    """

    school = forms.ModelChoiceField(label=_("School"), queryset=None, required=False)
    file = forms.FileField(
        label=_("Roster file (xlsx or csv)"),
        help_text=_(
            "The Dapodik “Daftar Peserta Didik” export as downloaded, the KTPku "
            "template, or any list with the columns Nama, NIK, JK and Tanggal Lahir."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        # "This field is required" says nothing to a teacher: say what to choose.
        error_messages={"required": _("Choose an .xlsx or .csv file.")},
    )

    def __init__(self, *args, schools, choose_school, **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = schools
        self.choose_school = choose_school
        self.fields["school"].queryset = schools
        if choose_school:
            self.fields["school"].required = True
        else:
            del self.fields["school"]
        self.fields["file"].widget.attrs.update(
            {
                "data-max-bytes": settings.UPLOAD_MAX_BYTES,
                "data-too-large": _("The file is larger than %(limit)s MB.")
                % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
                "data-wrong-kind": _("Choose an .xlsx or .csv file."),
            }
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            intake.check_file(upload, upload.name)
        except intake.FileRejected as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        upload.seek(0)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.choose_school:
            # A coordinator uploads to their own school; a school id in the POST is ignored.
            cleaned["school"] = self.schools.first()
            if cleaned["school"] is None:
                raise forms.ValidationError(_("You are not the coordinator of any school yet."))
        return cleaned
