package pathway

// loadRecords fills d with the pathway's records the reach allows: assessments and projects
// for the health view; goals, activities, meetings and outcomes too for full reach. Every
// record read is audited. (Filled by the records part of the room.)
func (s *session) loadRecords(d *Detail, r reach) error {
	return nil
}
