from . import civ_evaluation_report
from . import civ_annual_notice_report
from . import civ_calibration_minutes_report
from . import xlsx_common, xlsx_unit_list, xlsx_aggregate, xlsx_annual
